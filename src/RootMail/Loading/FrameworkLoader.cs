using System;
using System.IO;
using System.Reflection;

namespace RootMail.Commands
{
    /// <summary>Windows PowerShell 5.1: one load context, so the best is to answer unresolved requests from dependencies/.</summary>
    internal static class FrameworkLoader
    {
        static string _folder = "";

        public static void Register(string folder)
        {
            _folder = folder;
            AppDomain.CurrentDomain.AssemblyResolve += OnResolve;
        }

        static Assembly? OnResolve(object? sender, ResolveEventArgs args)
        {
            var name = new AssemblyName(args.Name);
            var path = Path.Combine(_folder, name.Name + ".dll");
            // Like a binding redirect: the version RootMail ships serves any version asked for.
            return File.Exists(path) ? Assembly.LoadFrom(path) : null;
        }
    }
}
