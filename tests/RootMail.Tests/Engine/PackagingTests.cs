using System;
using System.Collections;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;
using RootMail.Testing;
using Xunit;

namespace RootMail.Tests.Engine
{
    /// <summary>The manifest is complete and the packages that Install-Module/Install-PSResource and Azure Automation take are right.</summary>
    [Collection(EngineCollection.Name)]
    public class PackagingTests
    {
        [Fact]
        public void Manifest_is_complete_and_exports_exactly_the_cmdlets()
        {
            using var ps = PsHarness.Create(importRootMail: false, importSimulator: false);
            var manifest = ps.Run("Test-ModuleManifest -Path $p", new Hashtable { ["p"] = RepoLayout.RootMailManifest }).EnsureSuccess().Single();
            Assert.Equal(new[] { "Core", "Desktop" }, ((IEnumerable)PsResult.Property(manifest, "CompatiblePSEditions")!).Cast<object>().Select(o => o.ToString()).OrderBy(x => x));
            Assert.Equal("5.1", PsResult.Property(manifest, "PowerShellVersion")!.ToString());
            var psData = (Hashtable)((Hashtable)PsResult.Property(manifest, "PrivateData")!)["PSData"]!;
            foreach (var key in new[] { "Tags", "ProjectUri", "LicenseUri", "ReleaseNotes" }) Assert.NotNull(psData[key]);

            var exported = ps.Run("Import-Module $p; (Get-Command -Module RootMail).Name", new Hashtable { ["p"] = RepoLayout.RootMailManifest }).EnsureSuccess()
                .Output.Select(o => o.ToString()).OrderBy(x => x).ToList();
            var listed = ps.Run("(Test-ModuleManifest -Path $p).ExportedCmdlets.Keys", new Hashtable { ["p"] = RepoLayout.RootMailManifest }).EnsureSuccess()
                .Output.Select(o => o.ToString()).OrderBy(x => x).ToList();
            Assert.Equal(listed, exported);
            Assert.Contains("New-AwsRootAlias", exported);
            // The version is set once: the manifest's, and the assembly carries it.
            var version = PsResult.Property(manifest, "Version")!.ToString();
            var assembly = System.Reflection.AssemblyName.GetAssemblyName(Path.Combine(RepoLayout.OutDir, "RootMail", "RootMail.dll")).Version!;
            Assert.Equal(version, $"{assembly.Major}.{assembly.Minor}.{assembly.Build}");
        }

        [Fact]
        public void Every_output_type_has_a_table_and_a_list_view()
        {
            var format = XDocument.Load(Path.Combine(RepoLayout.Root, "src", "RootMail", "RootMail.format.ps1xml"));
            var views = format.Descendants("View").Select(v => (Type: v.Element("ViewSelectedBy")!.Element("TypeName")!.Value,
                Table: v.Element("TableControl") != null, List: v.Element("ListControl") != null)).ToList();
            using var ps = PsHarness.Create(importSimulator: false);
            var outputTypes = ps.Run("(Get-Command -Module RootMail).OutputType.Name").EnsureSuccess().Output.Select(o => o.ToString()!)
                .Where(t => t.StartsWith("RootMail.", StringComparison.Ordinal)).Distinct().ToList();
            Assert.Contains("RootMail.AwsRootAlias", outputTypes);
            foreach (var type in outputTypes)
            {
                Assert.True(views.Any(v => v.Type == type && v.Table), type + " has no table view");
                Assert.True(views.Any(v => v.Type == type && v.List), type + " has no list view");
            }
        }

        [Fact]
        public void Dotnet_pack_makes_a_gallery_nupkg_and_an_automation_zip()
        {
            var output = Path.Combine(Path.GetTempPath(), "rootmail-pack-" + Guid.NewGuid().ToString("N"));
            try
            {
                var project = Path.Combine(RepoLayout.Root, "build", "package", "RootMail.Package.csproj");
                // --no-build: package the module the test run already laid out, without laying it out again under other tests.
                Dotnet("restore", project);
                Dotnet("pack", project, "--no-build", "--no-restore", "-p:PackageOutputPath=" + output);

                var nupkg = Directory.GetFiles(output, "RootMail.*.nupkg").Single();
                using (var package = ZipFile.OpenRead(nupkg))
                {
                    var names = package.Entries.Select(e => e.FullName.Replace('\\', '/')).ToList();
                    Assert.Contains("RootMail.psd1", names);
                    Assert.Contains("RootMail.dll", names);
                    Assert.Contains("RootMail.format.ps1xml", names);
                    Assert.Contains(names, n => n.StartsWith("en-US/", StringComparison.Ordinal));
                    Assert.Contains("dependencies/RootMail.Core.dll", names);
                    Assert.Contains("dependencies/Azure.Core.dll", names);
                    Assert.DoesNotContain(names, n => n.EndsWith("System.Management.Automation.dll", StringComparison.Ordinal));
                    using var nuspec = package.GetEntry("RootMail.nuspec")!.Open();
                    var metadata = XDocument.Load(nuspec).Root!.Elements().First(e => e.Name.LocalName == "metadata");
                    string Meta(string name) => metadata.Elements().First(e => e.Name.LocalName == name).Value;
                    Assert.Equal("RootMail", Meta("id"));
                    Assert.Equal(Path.GetFileNameWithoutExtension(nupkg), "RootMail." + Meta("version"));
                    var tags = Meta("tags").Split(' ');
                    Assert.Contains("PSModule", tags);
                    Assert.Contains("PSCmdlet_New-AwsRootAlias", tags);
                    Assert.Contains("PSEdition_Core", tags);
                    Assert.StartsWith("https://", Meta("projectUrl"));
                }
                using var zip = ZipFile.OpenRead(Path.Combine(output, "RootMail.zip"));
                var entries = zip.Entries.Select(e => e.FullName.Replace('\\', '/')).ToList();
                Assert.Contains("RootMail/RootMail.psd1", entries);
                Assert.All(entries, e => Assert.StartsWith("RootMail/", e));
            }
            finally
            {
                try { Directory.Delete(output, true); } catch (IOException) { }
            }
        }

        static void Dotnet(params string[] args)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in args) start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            Assert.True(process.WaitForExit(180_000), "dotnet " + string.Join(" ", args) + " did not finish");
            Assert.True(process.ExitCode == 0, $"dotnet {string.Join(" ", args)} failed:\n{stdout}\n{stderr.Result}");
        }
    }
}
