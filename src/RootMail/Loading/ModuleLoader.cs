using System;
using System.Management.Automation;
using System.Runtime.InteropServices;

namespace RootMail.Commands
{
    /// <summary>
    /// Runs when Import-Module loads RootMail.dll, before any cmdlet runs. RootMail.dll holds only the cmdlets and
    /// types PowerShell needs to see; the engine (RootMail.Core, RootMail.Graph) and every third-party dependency
    /// (Azure.Core, Azure.Identity, MSAL, Microsoft.Graph, ...) sit in dependencies/, out of PowerShell's probing.
    /// On PowerShell 7 they load into RootMail's own AssemblyLoadContext, so other modules' versions of the same
    /// assemblies (ExchangeOnlineManagement, Microsoft.Graph, Az.Accounts) cannot clash with them, whichever is
    /// imported first. Windows PowerShell 5.1 has a single load context: there RootMail loads its dependencies from
    /// dependencies/ when nothing else has loaded them, which is the best that platform allows.
    /// </summary>
    public sealed class ModuleLoader : IModuleAssemblyInitializer
    {
        public void OnImport() => DependencyLoader.Register();
    }

    internal static class DependencyLoader
    {
        static readonly object Gate = new object();
        static bool _registered;

        internal static string Folder { get; } = System.IO.Path.Combine(
            System.IO.Path.GetDirectoryName(typeof(DependencyLoader).Assembly.Location) ?? ".", "dependencies");

        internal static bool IsWindowsPowerShell => RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

        /// <summary>Once per process: the handlers serve every runspace that imports the module.</summary>
        public static void Register()
        {
            lock (Gate)
            {
                if (_registered) return;
                if (IsWindowsPowerShell) FrameworkLoader.Register(Folder);
                else IsolatedLoader.Register(Folder); // in its own class, so Windows PowerShell never compiles ALC code
                _registered = true;
            }
        }
    }
}
