using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation.Language;
using RootMail.Testing;
using Xunit;

namespace RootMail.Tests.Engine
{
    /// <summary>The Pester files and samples are for users with pwsh; here they must at least parse.</summary>
    [Collection(EngineCollection.Name)]
    public class ScriptParseTests
    {
        static List<string> ScriptPaths()
        {
            var root = RepoLayout.Root;
            var sep = Path.DirectorySeparatorChar;
            var paths = new List<string> { "build.ps1" };
            foreach (var dir in new[] { "tests", "samples" })
                paths.AddRange(Directory.EnumerateFiles(Path.Combine(root, dir), "*.ps1", SearchOption.AllDirectories)
                    .Where(f => !f.Contains(sep + "bin" + sep) && !f.Contains(sep + "obj" + sep))
                    .Select(f => Path.GetRelativePath(root, f)));
            return paths;
        }

        public static TheoryData<string> Scripts() => new TheoryData<string>(ScriptPaths());

        [Theory]
        [MemberData(nameof(Scripts))]
        public void Script_parses(string relativePath)
        {
            Parser.ParseFile(Path.Combine(RepoLayout.Root, relativePath), out _, out var errors);
            Assert.True(errors.Length == 0, relativePath + ": " + string.Join("; ", errors.Select(e => $"{e.Extent.StartLineNumber}: {e.Message}")));
        }

        [Fact]
        public void There_are_pester_tests_to_parse() => Assert.Contains(ScriptPaths(), path => path.StartsWith("tests"));
    }
}
