using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace RootMail.Simulator.Commands
{
    /// <summary>What Get-Mailbox and Get-Recipient share: -Identity, -Filter, -RecipientTypeDetails, -ResultSize and Exchange's result-size warning.</summary>
    public abstract class RecipientQueryCommandBase : ExchangeCommandBase
    {
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        public string? Identity { get; set; }

        [Parameter]
        public string[]? RecipientTypeDetails { get; set; }

        [Parameter]
        public string? ResultSize { get; set; }

        [Parameter]
        public string? Filter { get; set; }

        /// <summary>The object Exchange returns for a mailbox: a Mailbox or a recipient.</summary>
        internal abstract PSObject Shape(MailboxSnapshot mailbox);

        internal override bool Execute(Tenant tenant, List<object> output)
        {
            int limit = ParseResultSize(ResultSize);
            OPathFilter? filter = string.IsNullOrEmpty(Filter) ? null : OPathFilter.Parse(Filter!);
            List<MailboxSnapshot> found = tenant.Find(Identity, filter, limit, out bool more);
            if (RecipientTypeDetails != null &&
                !RecipientTypeDetails.Any(t => string.Equals(t, "SharedMailbox", StringComparison.OrdinalIgnoreCase)))
            {
                found.Clear();
            }

            output.AddRange(found.Select(m => (object)Shape(m)));
            if (more)
            {
                WriteWarning(string.IsNullOrEmpty(ResultSize)
                    ? ExoMessages.ResultSizeWarning
                    : "There are more results available than are currently displayed. To view them, increase the value for the ResultSize parameter.");
            }

            return true;
        }
    }
}
