using System.Collections;
using System.Linq;
using System.Management.Automation;
using Xunit;

namespace RootMail.Tests.Engine
{
    /// <summary>Get-Help helps: every exported cmdlet has a synopsis, examples and a description of every parameter.</summary>
    [Collection(EngineCollection.Name)]
    public class HelpTests
    {
        static readonly string[] Common = { "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable",
            "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable" };

        public static TheoryData<string> Cmdlets()
        {
            using var ps = PsHarness.Create(importSimulator: false);
            return new TheoryData<string>(ps.Run("(Get-Command -Module RootMail).Name").EnsureSuccess().Output.Select(o => o.ToString()));
        }

        [Theory]
        [MemberData(nameof(Cmdlets))]
        public void Cmdlet_has_full_help(string name)
        {
            using var ps = PsHarness.Create(importSimulator: false);
            var help = ps.Run("Get-Help $n -Full", new Hashtable { ["n"] = name }).EnsureSuccess().Single();
            var synopsis = PsResult.Property(help, "Synopsis")?.ToString() ?? "";
            Assert.False(string.IsNullOrWhiteSpace(synopsis));
            Assert.DoesNotContain(name + " [", synopsis); // the engine's stand-in synopsis is the syntax line

            var examples = ps.Run("@((Get-Help $n -Full).examples.example).Count", new Hashtable { ["n"] = name }).EnsureSuccess().Single();
            Assert.True((int)examples.BaseObject >= 2, name + " needs at least two examples");

            var parameters = ps.Run("(Get-Command $n).Parameters.Keys", new Hashtable { ["n"] = name }).EnsureSuccess().Output.Select(o => o.ToString()!)
                .Where(p => !Common.Contains(p));
            foreach (var parameter in parameters)
            {
                var text = ps.Run("((Get-Help $n -Parameter $p).description | ForEach-Object { $_.Text }) -join ' '", new Hashtable { ["n"] = name, ["p"] = parameter });
                Assert.True(text.Succeeded && text.Output.Count == 1 && !string.IsNullOrWhiteSpace(text.Output[0]?.ToString()), $"{name} -{parameter} has no help");
            }
        }

        [Fact]
        public void About_topic_exists()
        {
            using var ps = PsHarness.Create(importSimulator: false);
            var text = string.Join("\n", ps.Run("Get-Help about_RootMail").EnsureSuccess().Output.Select(o => o.ToString()));
            Assert.Contains("Registered", text);
            Assert.Contains("Retired", text);
        }
    }
}
