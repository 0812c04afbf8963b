using System.Collections.Generic;
using System.Management.Automation;

namespace RootMail.Simulator.Commands
{
    /// <summary>
    /// <para type="synopsis">Creates a simulated shared mailbox, as Exchange Online's New-Mailbox -Shared.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "Mailbox", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(PSObject))]
    public sealed class NewMailboxCommand : ExchangeCommandBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        public string Name { get; set; } = string.Empty;

        [Parameter]
        public SwitchParameter Shared { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? DisplayName { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Alias { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? PrimarySmtpAddress { get; set; }

        internal override ExchangeCommand Command => ExchangeCommand.NewMailbox;

        internal override object? ErrorTarget => Name;

        internal override bool Execute(Tenant tenant, List<object> output)
        {
            if (!Shared.IsPresent)
            {
                throw new RecipientTaskException(ExoMessages.SharedOnly);
            }

            if (!ShouldProcess($"Name: \"{Name}\"", "Create shared mailbox"))
            {
                return false;
            }

            output.Add(tenant.NewMailbox(Name, DisplayName, Alias, PrimarySmtpAddress).ToMailbox());
            return true;
        }
    }
}
