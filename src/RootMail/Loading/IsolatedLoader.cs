using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace RootMail.Commands
{
    /// <summary>
    /// PowerShell 7: RootMail's engine and dependencies live in their own AssemblyLoadContext. The default context
    /// asks it only for RootMail's own engine assemblies (the ones RootMail.dll references); everything those load
    /// comes from dependencies/ first, except what the .NET runtime or PowerShell itself provides.
    /// </summary>
    internal static class IsolatedLoader
    {
        static RootMailLoadContext? _context;
        static readonly string[] EngineAssemblies = { "RootMail.Core", "RootMail.Graph" };

        public static void Register(string folder)
        {
            _context = new RootMailLoadContext(folder);
            AssemblyLoadContext.Default.Resolving += OnDefaultResolving;
        }

        static Assembly? OnDefaultResolving(AssemblyLoadContext context, AssemblyName name)
        {
            if (_context is null || Array.IndexOf(EngineAssemblies, name.Name) < 0) return null;
            return _context.LoadFromFolder(name);
        }
    }

    internal sealed class RootMailLoadContext : AssemblyLoadContext
    {
        readonly string _folder;
        readonly string _runtimeFolder = RuntimeEnvironment.GetRuntimeDirectory();

        public RootMailLoadContext(string folder)
        {
            _folder = folder;
            Resolving += (context, name) => LoadFromFolder(name);
        }

        internal Assembly? LoadFromFolder(AssemblyName name)
        {
            var path = Path.Combine(_folder, name.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }

        protected override Assembly? Load(AssemblyName name)
        {
            // What the .NET runtime provides (System.*, netstandard shims) and PowerShell itself come from the default
            // context, so that types shared with PowerShell stay one type; if it cannot, Resolving above serves ours.
            // Everything else (Azure.*, MSAL, Graph, Kiota, ...) is ours, whatever other modules loaded.
            if (Provided(name.Name)) return null;
            return LoadFromFolder(name);
        }

        bool Provided(string? name)
        {
            if (string.IsNullOrEmpty(name)) return true;
            if (name!.StartsWith("System.Management.Automation", StringComparison.Ordinal) || name.StartsWith("Microsoft.PowerShell.", StringComparison.Ordinal)) return true;
            return File.Exists(Path.Combine(_runtimeFolder, name + ".dll"));
        }
    }
}
