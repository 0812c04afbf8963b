using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace RootMail.Simulator
{
    /// <summary>
    /// The process-wide tenants (by organization name, case-insensitive) and which tenant each runspace is
    /// connected to. A runspace is identified by <see cref="Runspace.DefaultRunspace"/>, the runspace whose
    /// pipeline is running on the current thread.
    /// </summary>
    internal static class TenantRegistry
    {
        private static readonly ConcurrentDictionary<string, Tenant> Tenants =
            new ConcurrentDictionary<string, Tenant>(StringComparer.OrdinalIgnoreCase);

        private static readonly ConditionalWeakTable<Runspace, Binding> Bindings = new ConditionalWeakTable<Runspace, Binding>();

        /// <summary>Binds <paramref name="runspace"/> to the tenant <paramref name="organization"/>, creating it if missing.</summary>
        public static Tenant Connect(Runspace runspace, string organization, IEnumerable<string> acceptedDomains)
        {
            Tenant tenant = Tenants.GetOrAdd(organization, name => new Tenant(name));
            tenant.AddAcceptedDomains(acceptedDomains);
            Bindings.GetValue(runspace, _ => new Binding()).Tenant = tenant;
            return tenant;
        }

        public static void Disconnect(Runspace? runspace)
        {
            if (runspace != null && Bindings.TryGetValue(runspace, out Binding? binding))
            {
                binding.Tenant = null;
            }
        }

        /// <summary>The tenant the current runspace is connected to, or null.</summary>
        public static Tenant? Current
        {
            get
            {
                Runspace? runspace = Runspace.DefaultRunspace;
                return runspace != null && Bindings.TryGetValue(runspace, out Binding? binding) ? binding.Tenant : null;
            }
        }

        private sealed class Binding
        {
            private volatile Tenant? _tenant;

            public Tenant? Tenant
            {
                get => _tenant;
                set => _tenant = value;
            }
        }
    }
}
