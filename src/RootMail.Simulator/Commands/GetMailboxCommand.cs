using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace RootMail.Simulator.Commands
{
    /// <summary>
    /// <para type="synopsis">Gets simulated shared mailboxes, as Exchange Online's Get-Mailbox.</para>
    /// <para type="description">By -Identity (Name, Alias, any proxy address, Guid or ExternalDirectoryObjectId), by -Filter, or every mailbox when -Identity is absent or empty, as Exchange does.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "Mailbox")]
    [OutputType(typeof(PSObject))]
    public sealed class GetMailboxCommand : ExchangeCommandBase
    {
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        public string? Identity { get; set; }

        [Parameter]
        public string[]? RecipientTypeDetails { get; set; }

        [Parameter]
        public string? ResultSize { get; set; }

        [Parameter]
        public string? Filter { get; set; }

        internal override ExchangeCommand Command => ExchangeCommand.GetMailbox;

        internal override object? ErrorTarget => Identity;

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

            output.AddRange(found.Select(m => (object)m.ToMailbox()));
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
