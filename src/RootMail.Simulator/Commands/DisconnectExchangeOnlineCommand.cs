using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace RootMail.Simulator.Commands
{
    /// <summary>
    /// <para type="synopsis">Disconnects this runspace from its simulated tenant. The tenant and its mailboxes stay.</para>
    /// </summary>
    [Cmdlet(VerbsCommunications.Disconnect, "ExchangeOnline", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(void))]
    public sealed class DisconnectExchangeOnlineCommand : PSCmdlet
    {
        /// <summary>Accepted and ignored, as in the real module.</summary>
        [Parameter]
        public string? ConnectionId { get; set; }

        [Parameter]
        public string? ModulePrefix { get; set; }

        protected override void EndProcessing()
        {
            Runspace? runspace = Runspace.DefaultRunspace;
            if (ShouldProcess("Exchange Online simulator session", "Disconnect"))
            {
                TenantRegistry.Disconnect(runspace);
            }
        }
    }
}
