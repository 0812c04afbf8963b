using System.IO;
using RootMail.Testing;
using Xunit;

namespace RootMail.Tests
{
    /// <summary>Which built module a test needs.</summary>
    public enum BuiltModule
    {
        RootMail,
        Simulator,
    }

    /// <summary>
    /// A [Fact] that is skipped, with a message saying so, when a module it needs has not been laid
    /// out under out/ yet. For infrastructure checks only: product tests should fail, not skip, when
    /// the module is missing (building the test project builds and lays out both modules).
    /// </summary>
    public sealed class RequiresModuleFactAttribute : FactAttribute
    {
        public RequiresModuleFactAttribute(params BuiltModule[] modules)
        {
            foreach (var module in modules)
            {
                var manifest = module == BuiltModule.RootMail ? RepoLayout.RootMailManifest : RepoLayout.SimulatorManifest;
                if (!File.Exists(manifest))
                {
                    Skip = $"{manifest} does not exist yet: build the module (dotnet build RootMail.sln) to run this test.";
                    return;
                }
            }
        }
    }
}
