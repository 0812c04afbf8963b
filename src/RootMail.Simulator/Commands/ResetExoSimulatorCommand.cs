using System.Management.Automation;

namespace RootMail.Simulator.Commands
{
    /// <summary>
    /// <para type="synopsis">Empties the connected simulated tenant: mailboxes, statistics and faults. Accepted domains stay.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Reset, "ExoSimulator", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(void))]
    public sealed class ResetExoSimulatorCommand : SimulatorCommandBase
    {
        protected override void EndProcessing()
        {
            Tenant tenant = RequireTenant();
            if (ShouldProcess(tenant.Organization, "Reset simulated tenant"))
            {
                tenant.Reset();
            }
        }
    }
}
