using System.Management.Automation;

namespace RootMail.Simulator.Commands
{
    /// <summary>
    /// <para type="synopsis">Lists the permissions Add-MailboxPermission recorded on a simulated mailbox.</para>
    /// <para type="description">A read-only helper for checking a rehearsal; it is not counted in the statistics and never gets injected faults.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "MailboxPermission")]
    [OutputType(typeof(PSObject))]
    public sealed class GetMailboxPermissionCommand : SimulatorCommandBase
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        public string Identity { get; set; } = string.Empty;

        [Parameter]
        public string? User { get; set; }

        protected override void ProcessRecord()
        {
            Tenant tenant = RequireTenant();
            try
            {
                foreach (PSObject permission in tenant.GetPermissions(Identity, User))
                {
                    WriteObject(permission);
                }
            }
            catch (ExoSimulatorException e)
            {
                WriteExchangeError(e, Identity);
            }
        }
    }
}
