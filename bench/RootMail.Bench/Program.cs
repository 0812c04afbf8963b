using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using RootMail.Testing;

namespace RootMail.Bench
{
    /// <summary>
    /// Issue 6: RootMail side by side with the reference design, against Azurite and the Exchange simulator.
    /// Exit code 0 when every measurement ran, 1 when one failed, 2 on bad arguments or a missing build.
    /// </summary>
    internal static class Program
    {
        private static int Main(string[] args)
        {
            Options options;
            try
            {
                options = Options.Parse(args);
            }
            catch (ArgumentException ex)
            {
                Console.Error.WriteLine("bench: " + ex.Message);
                Console.Error.WriteLine(Options.Usage);
                return 2;
            }
            if (options.Help)
            {
                Console.WriteLine(Options.Usage);
                return 0;
            }
            if (options.ImportProbeManifest != null)
            {
                // A fresh process that only imports the module: nothing else may load first.
                return ImportProbe.RunChild(options.ImportProbeManifest);
            }

            Console.OutputEncoding = new UTF8Encoding(false);
            foreach (var manifest in new[] { RepoLayout.RootMailManifest, RepoLayout.SimulatorManifest })
            {
                if (!File.Exists(manifest))
                {
                    Console.Error.WriteLine($"bench: {manifest} is missing: build first (dotnet build RootMail.sln; `dotnet run` of the bench builds it too).");
                    return 2;
                }
            }
            ResolveFromModule();

            try
            {
                var results = new Bench(options).Run();
                var markdown = Report.Markdown(results);
                Console.WriteLine();
                Console.WriteLine(markdown);
                if (!options.NoWrite)
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(options.OutputPath)!);
                    File.WriteAllText(options.OutputPath, markdown, new UTF8Encoding(false));
                    Console.Error.WriteLine($"bench: wrote {options.OutputPath}");
                }
                return 0;
            }
            catch (BenchException ex)
            {
                Console.Error.WriteLine("bench: " + ex.Message);
                return 1;
            }
        }

        /// <summary>
        /// The baseline is compiled against Azure.Data.Tables but ships no copy of it: its assemblies (and Azure.Core with
        /// them) are loaded from the files RootMail ships (out/RootMail/dependencies, or out/RootMail in a layout without
        /// that folder), so both sides run the same binaries. The bench's own folder holds no Azure assembly either, so
        /// RootMail never gets the bench's copy instead of its own, whether or not it isolates its dependencies.
        /// </summary>
        private static void ResolveFromModule()
        {
            var module = Path.GetDirectoryName(RepoLayout.RootMailManifest)!;
            var folders = new[] { Path.Combine(module, "dependencies"), module };
            AssemblyLoadContext.Default.Resolving += (context, name) =>
            {
                foreach (var folder in folders)
                {
                    var path = Path.Combine(folder, name.Name + ".dll");
                    if (File.Exists(path) && (name.Version == null || AssemblyName.GetAssemblyName(path).Version >= name.Version))
                    {
                        return context.LoadFromAssemblyPath(path);
                    }
                }
                return null;
            };
        }
    }
}
