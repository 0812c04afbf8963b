using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Management.Automation;
using RootMail.Testing;
using Xunit;

namespace RootMail.Tests.Engine
{
    /// <summary>
    /// Get-Help helps: every exported cmdlet has a synopsis, examples and a description of every parameter, from
    /// its docs/help/&lt;Cmdlet&gt;.md (the build generates en-US/RootMail.dll-Help.xml from those files), and the
    /// help says what the code does: the same parameters, types, Required flags and parameter sets.
    /// </summary>
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
        public void Every_cmdlet_has_a_markdown_source_and_every_source_names_a_cmdlet()
        {
            using var ps = PsHarness.Create(importSimulator: false);
            var cmdlets = ps.Run("(Get-Command -Module RootMail).Name").EnsureSuccess().Output.Select(o => o.ToString()!).ToList();
            var sources = Directory.EnumerateFiles(Path.Combine(RepoLayout.Root, "docs", "help"), "*.md")
                .Select(f => Path.GetFileNameWithoutExtension(f)!).ToList();

            var undocumented = cmdlets.Except(sources, StringComparer.Ordinal).ToList();
            var orphans = sources.Except(cmdlets, StringComparer.Ordinal).ToList();
            Assert.True(undocumented.Count == 0, "No docs/help/<Cmdlet>.md for: " + string.Join(", ", undocumented));
            Assert.True(orphans.Count == 0, "docs/help files that name no exported cmdlet: " + string.Join(", ", orphans.Select(o => o + ".md")));
            Assert.True(File.Exists(Path.Combine(RepoLayout.OutDir, "RootMail", "en-US", "RootMail.dll-Help.xml")), "the build did not generate en-US/RootMail.dll-Help.xml");
        }

        // Lists what the help says differently from the code: parameters the code lacks, the type and the
        // Required flag of each parameter (as Help.Tests.ps1 checks them), and one syntax per parameter set with
        // the set's parameters and their Required, Position, pipeline input and aliases. (The bare engine has no
        // Sort-Object or Select-Object.)
        const string CompareHelpWithCode = @"
            function Join-Sorted($names) { $a = [string[]]@($names); [array]::Sort($a, [StringComparer]::OrdinalIgnoreCase); $a -join ',' }
            $command = Get-Command $n
            $help = Get-Help $n -Full
            $helpParameters = @($help.parameters.parameter | Where-Object { $_ })
            foreach ($p in $helpParameters) {
                if (-not $command.Parameters.ContainsKey($p.name)) { ""-$($p.name) is in the help but not in the cmdlet"" }
            }
            foreach ($p in @($command.Parameters.Values | Where-Object { $common -notcontains $_.Name })) {
                $h = @($helpParameters | Where-Object { $_.name -eq $p.Name })[0]
                if (-not $h) { continue }
                $mandatory = (@($p.ParameterSets.Values | Where-Object { -not $_.IsMandatory }).Count -eq 0).ToString().ToLowerInvariant()
                if ($h.required -ne $mandatory) { ""-$($p.Name): Required is $($h.required) in the help, $mandatory in the code"" }
                $type = ""$($h.parameterValue)"".Trim()
                if ($type -ne $p.ParameterType.Name) { ""-$($p.Name): Type is '$type' in the help, '$($p.ParameterType.Name)' in the code"" }
            }
            $items = @($help.syntax.syntaxItem)
            if ($items.Count -ne $command.ParameterSets.Count) { ""$($items.Count) syntax item(s) in the help, $($command.ParameterSets.Count) parameter set(s) in the code"" }
            foreach ($set in $command.ParameterSets) {
                $parameters = @($set.Parameters | Where-Object { $common -notcontains $_.Name })
                $names = Join-Sorted ($parameters | ForEach-Object { $_.Name })
                $item = @($items | Where-Object { (Join-Sorted ($_.parameter | Where-Object { $_ } | ForEach-Object { $_.name })) -eq $names })[0]
                if (-not $item) { ""parameter set $($set.Name): no syntax in the help with exactly $names""; continue }
                foreach ($p in $parameters) {
                    $h = @($item.parameter | Where-Object { $_.name -eq $p.Name })[0]
                    $by = @(if ($p.ValueFromPipeline) { 'ByValue' }) + @(if ($p.ValueFromPipelineByPropertyName) { 'ByPropertyName' })
                    $expected = [ordered]@{
                        required      = $p.IsMandatory.ToString().ToLowerInvariant()
                        position      = if ($p.Position -lt 0) { 'named' } else { [string]$p.Position }
                        pipelineInput = if ($by.Count) { 'True (' + ($by -join ', ') + ')' } else { 'False' }
                        aliases       = if ($p.Aliases.Count) { $p.Aliases -join ', ' } else { 'none' }
                    }
                    foreach ($key in $expected.Keys) {
                        if ([string]$h.$key -ne $expected[$key]) { ""parameter set $($set.Name), -$($p.Name): $key is '$($h.$key)' in the help, '$($expected[$key])' in the code"" }
                    }
                }
            }";

        [Theory]
        [MemberData(nameof(Cmdlets))]
        public void Help_matches_the_code(string name)
        {
            using var ps = PsHarness.Create(importSimulator: false);
            var problems = ps.Run(CompareHelpWithCode, new Hashtable { ["n"] = name, ["common"] = Common }).EnsureSuccess().Output.Select(o => o.ToString()).ToList();
            Assert.True(problems.Count == 0, $"docs/help/{name}.md does not match the code:\n" + string.Join("\n", problems));
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
