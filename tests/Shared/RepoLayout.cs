using System;
using System.IO;

namespace RootMail.Testing
{
    /// <summary>
    /// Where things are in the repository, found from the running assembly (tests, sandbox), so that
    /// nothing depends on the current directory. The root is the folder that holds RootMail.sln;
    /// the environment variable ROOTMAIL_REPO_ROOT overrides the search.
    /// </summary>
    public static class RepoLayout
    {
        public const string SolutionFileName = "RootMail.sln";

        private static readonly Lazy<string> root = new Lazy<string>(() => FindRoot());

        /// <summary>The repository root (the folder holding RootMail.sln).</summary>
        public static string Root => root.Value;

        /// <summary>out/: where the build lays out the importable modules.</summary>
        public static string OutDir => Path.Combine(Root, "out");

        /// <summary>out/RootMail/RootMail.psd1, the module under test.</summary>
        public static string RootMailManifest => Path.Combine(OutDir, "RootMail", "RootMail.psd1");

        /// <summary>out/RootMail.Simulator/RootMail.Simulator.psd1, the Exchange Online simulator.</summary>
        public static string SimulatorManifest => Path.Combine(OutDir, "RootMail.Simulator", "RootMail.Simulator.psd1");

        /// <summary>tools/azurite: package.json and package-lock.json pinning Azurite (node_modules once installed).</summary>
        public static string AzuriteDir => Path.Combine(Root, "tools", "azurite");

        /// <summary>samples/: scripts users copy (Quickstart.ps1 ...).</summary>
        public static string SamplesDir => Path.Combine(Root, "samples");

        /// <summary>
        /// Walks up from <paramref name="start"/> (default: AppContext.BaseDirectory, then the current
        /// directory) to the first folder holding RootMail.sln.
        /// </summary>
        public static string FindRoot(string? start = null)
        {
            var fromEnvironment = Environment.GetEnvironmentVariable("ROOTMAIL_REPO_ROOT");
            if (start == null && !string.IsNullOrWhiteSpace(fromEnvironment))
            {
                var full = Path.GetFullPath(fromEnvironment);
                if (File.Exists(Path.Combine(full, SolutionFileName)))
                {
                    return full;
                }
                throw new DirectoryNotFoundException(
                    $"ROOTMAIL_REPO_ROOT is '{fromEnvironment}', but that folder holds no {SolutionFileName}.");
            }

            var starts = start != null
                ? new[] { start }
                : new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() };
            foreach (var candidate in starts)
            {
                var found = WalkUp(candidate);
                if (found != null)
                {
                    return found;
                }
            }
            throw new DirectoryNotFoundException(
                $"Could not find the RootMail repository root: no folder above '{string.Join("' or '", starts)}' " +
                $"holds {SolutionFileName}. Run from inside the repository or set ROOTMAIL_REPO_ROOT.");
        }

        private static string? WalkUp(string start)
        {
            if (string.IsNullOrEmpty(start))
            {
                return null;
            }
            var dir = new DirectoryInfo(Path.GetFullPath(start));
            while (dir != null)
            {
                if (File.Exists(Path.Combine(dir.FullName, SolutionFileName)))
                {
                    return dir.FullName;
                }
                dir = dir.Parent;
            }
            return null;
        }
    }
}
