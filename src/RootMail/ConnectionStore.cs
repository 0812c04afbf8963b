using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using RootMail.Registry;

namespace RootMail.Commands
{
    /// <summary>
    /// Registry connections per runspace: two runspaces in one process (the Azure Functions worker,
    /// ForEach-Object -Parallel) can use different registries. A closed runspace's connection is collected with it.
    /// </summary>
    internal static class ConnectionStore
    {
        static readonly ConditionalWeakTable<Runspace, RegistrySession> Sessions = new ConditionalWeakTable<Runspace, RegistrySession>();

        public static RegistrySession? Current
        {
            get
            {
                var runspace = Runspace.DefaultRunspace;
                return runspace != null && Sessions.TryGetValue(runspace, out var session) ? session : null;
            }
        }

        public static void Set(RegistrySession session)
        {
            var runspace = Runspace.DefaultRunspace;
            Sessions.Remove(runspace);
            Sessions.Add(runspace, session);
        }

        public static bool Clear() => Runspace.DefaultRunspace is Runspace runspace && Sessions.Remove(runspace);
    }
}
