using System.Management.Automation;

namespace RootMail.Commands
{
    /// <summary>Forgets this runspace's registry connection.</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "AwsRootRegistry")]
    [OutputType(typeof(void))]
    public sealed class DisconnectAwsRootRegistryCommand : RootMailCmdlet
    {
        protected override bool NeedsRegistry => false;

        protected override void ProcessRecord()
        {
            WriteVerbose(ConnectionStore.Clear() ? "Disconnected from the RootMail registry." : "This session was not connected to a RootMail registry.");
        }
    }
}
