using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace RootMail.Testing
{
    /// <summary>Shows an error that stopped a command line as pwsh's host does: through Out-Default, to the error stream.</summary>
    public static class ErrorDisplay
    {
        public static void WriteToErrorStream(Runspace runspace, ErrorRecord error)
        {
            var wrapped = new PSObject(error);
            wrapped.Properties.Add(new PSNoteProperty("writeErrorStream", true));
            using var ps = PowerShell.Create();
            ps.Runspace = runspace;
            ps.AddCommand("Out-Default");
            ps.Invoke(new[] { wrapped });
        }
    }
}
