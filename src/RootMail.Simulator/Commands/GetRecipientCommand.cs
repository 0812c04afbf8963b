using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace RootMail.Simulator.Commands
{
    /// <summary>
    /// <para type="synopsis">Gets simulated recipients, as Exchange Online's Get-Recipient.</para>
    /// <para type="description">By -Identity, by -Filter (for example "EmailAddresses -eq 'smtp:a@contoso.com'", which finds the recipient holding that proxy address), or every recipient when neither is given.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "Recipient")]
    [OutputType(typeof(PSObject))]
    public sealed class GetRecipientCommand : ExchangeCommandBase
    {
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        public string? Identity { get; set; }

        [Parameter]
        public string? Filter { get; set; }

        [Parameter]
        public string[]? RecipientTypeDetails { get; set; }

        [Parameter]
        public string? ResultSize { get; set; }

        internal override ExchangeCommand Command => ExchangeCommand.GetRecipient;

        internal override object? ErrorTarget => (object?)Identity ?? Filter;

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

            output.AddRange(found.Select(m => (object)m.ToRecipient()));
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
