// Compiled by MSBuild's RoslynCodeTaskFactory (see HelpGeneration.targets): no PowerShell, no package.
// Turns platyPS markdown (docs/help/<Cmdlet>.md, one file per cmdlet) into one MAML file, as platyPS's
// New-ExternalHelp does, and fails the build when a file lacks what Get-Help needs.
//
// What is read (platyPS schema 2.0.0):
//   front matter      "external help file" must name the MAML file being written
//   # <Cmdlet>        must match the file name
//   ## SYNOPSIS       paragraphs (required)
//   ## SYNTAX         "### <ParameterSet>[ (Default)]" + a code block per set; a lone code block is the only set.
//                     The code block is for readers; the generator only checks that it names the set's parameters.
//   ## DESCRIPTION    paragraphs (required)
//   ## EXAMPLES       "### <title>" + ```powershell code``` + remarks (at least two, each with code)
//   ## PARAMETERS     "### -<Name>" + description (required) + one ```yaml``` block per distinct metadata
//                     (Type, Parameter Sets, Aliases, Accepted values, Required, Position, Default value,
//                     Accept pipeline input, Accept wildcard characters). "### CommonParameters" is skipped.
//                     The syntax of each set lists the set's parameters in the order of this section.
//   ## INPUTS, ## OUTPUTS   "### <TypeName>" + paragraphs (at least one output)
//   ## NOTES          paragraphs
//   ## RELATED LINKS  [text](uri) lines (at least one)
// Text: paragraphs are separated by blank lines, the lines of a paragraph are joined with a space, and a
// backslash before ASCII punctuation escapes it (write \<name\> to show <name> on GitHub and in Get-Help).
// Code blocks are copied verbatim. Placeholders that platyPS's New-MarkdownHelp writes ("{{ Fill ... }}")
// count as missing text.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class GenerateMamlHelp : Task
{
    const string MamlNs = "http://schemas.microsoft.com/maml/2004/10";
    const string CommandNs = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    const string DevNs = "http://schemas.microsoft.com/maml/dev/2004/10";
    const string AllSets = "__AllParameterSets";
    const string ErrorCode = "RMHELP";

    static readonly string[] YamlKeys = { "Type", "Parameter Sets", "Aliases", "Accepted values", "Required", "Position",
        "Default value", "Accept pipeline input", "Accept wildcard characters" };

    /// <summary>The markdown files, one per cmdlet.</summary>
    [Required] public ITaskItem[] Sources { get; set; }

    /// <summary>The MAML file to write, e.g. obj/.../RootMail.dll-Help.xml.</summary>
    [Required] public string OutputFile { get; set; }

    bool failed;

    public override bool Execute()
    {
        var commands = new List<Command>();
        foreach (var source in Sources.OrderBy(s => Path.GetFileName(s.ItemSpec), StringComparer.OrdinalIgnoreCase))
        {
            var command = Parse(source.ItemSpec);
            if (command != null) commands.Add(command);
        }
        if (failed) return false;

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(OutputFile)));
        var settings = new XmlWriterSettings { Indent = true, IndentChars = "  ", NewLineChars = "\n", Encoding = new UTF8Encoding(false) };
        using (var stream = new MemoryStream())
        {
            using (var xml = XmlWriter.Create(stream, settings))
            {
                Write(xml, commands);
            }
            File.WriteAllBytes(OutputFile, stream.ToArray());
        }
        Log.LogMessage(MessageImportance.Normal, "Cmdlet help: {0} cmdlet(s) -> {1}", commands.Count, OutputFile);
        return !Log.HasLoggedErrors;
    }

    // ---------------------------------------------------------------- model

    class Block
    {
        public string Kind;   // "h1", "h2", "h3", "code", "para"
        public string Text;   // heading or paragraph text (unescaped), code verbatim
        public string Info;   // code block info string
        public int Line;
    }

    class Parameter
    {
        public string Name;
        public int Line;
        public List<string> Description = new List<string>();
        public List<Meta> Metas = new List<Meta>();
    }

    class Meta
    {
        public string Type = "", Aliases = "", DefaultValue, PipelineInput = "False", Position = "named";
        public bool Required, Globbing;
        public List<string> AcceptedValues = new List<string>(), Sets = new List<string>();
        public int Line;
        public bool IsSwitch { get { return Type == "SwitchParameter" || Type == "System.Management.Automation.SwitchParameter" || Type.Equals("switch", StringComparison.OrdinalIgnoreCase); } }
    }

    class Example { public string Title, Code; public int Line; public List<string> Introduction = new List<string>(), Remarks = new List<string>(); }

    class TypeEntry { public string Name; public List<string> Description = new List<string>(); }

    class ParameterSet { public string Name; public bool IsDefault; public string Code; public int Line; }

    class Command
    {
        public string Name, File;
        public List<string> Synopsis = new List<string>(), Description = new List<string>(), Notes = new List<string>();
        public List<ParameterSet> Sets = new List<ParameterSet>();
        public List<Parameter> Parameters = new List<Parameter>();
        public List<Example> Examples = new List<Example>();
        public List<TypeEntry> Inputs = new List<TypeEntry>(), Outputs = new List<TypeEntry>();
        public List<KeyValuePair<string, string>> Links = new List<KeyValuePair<string, string>>();
        public Dictionary<string, int> SectionLines = new Dictionary<string, int>();
        public int Line;

        /// <summary>The line of a section's heading, or of the cmdlet's heading when the section is missing.</summary>
        public int LineOf(string section) { int line; return SectionLines.TryGetValue(section, out line) ? line : Line; }
    }

    // ---------------------------------------------------------------- parsing

    void Error(string file, int line, string message)
    {
        failed = true;
        Log.LogError(null, ErrorCode + "001", null, file, line, 0, 0, 0, message);
    }

    static readonly Regex Heading = new Regex(@"^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$");
    static readonly Regex Fence = new Regex(@"^\s{0,3}(`{3,}|~{3,})\s*([^`\s]*)");
    static readonly Regex Escaped = new Regex(@"\\([!-/:-@\[-`{-~])");
    static readonly Regex Placeholder = new Regex(@"^\{\{.*\}\}$");
    static readonly Regex Link = new Regex(@"\[([^\]]+)\]\(([^)\s]*)\)");

    static string Unescape(string text) { return Escaped.Replace(text, "$1"); }

    List<Block> Tokenize(string file, string[] lines, int start)
    {
        var blocks = new List<Block>();
        var para = new List<string>();
        int paraLine = 0;
        Action flush = () =>
        {
            if (para.Count == 0) return;
            blocks.Add(new Block { Kind = "para", Text = Unescape(string.Join(" ", para.Select(l => l.Trim()))), Line = paraLine });
            para.Clear();
        };
        for (int i = start; i < lines.Length; i++)
        {
            var line = lines[i];
            var fence = Fence.Match(line);
            if (fence.Success)
            {
                flush();
                var marker = fence.Groups[1].Value;
                var body = new List<string>();
                int open = i;
                for (i++; i < lines.Length && !(lines[i].TrimStart().StartsWith(marker, StringComparison.Ordinal) && lines[i].Trim().Trim(marker[0]).Length == 0); i++)
                {
                    body.Add(lines[i]);
                }
                if (i >= lines.Length) Error(file, open + 1, "The code block that starts here is not closed.");
                blocks.Add(new Block { Kind = "code", Info = fence.Groups[2].Value, Text = string.Join("\n", body), Line = open + 1 });
                continue;
            }
            var heading = Heading.Match(line);
            if (heading.Success && heading.Groups[1].Value.Length <= 3)
            {
                flush();
                blocks.Add(new Block { Kind = "h" + heading.Groups[1].Value.Length, Text = Unescape(heading.Groups[2].Value), Line = i + 1 });
                continue;
            }
            if (line.Trim().Length == 0) { flush(); continue; }
            if (para.Count == 0) paraLine = i + 1;
            para.Add(line);
        }
        flush();
        return blocks;
    }

    Command Parse(string file)
    {
        var text = File.ReadAllText(file).Replace("\r\n", "\n").Replace('\r', '\n');
        var lines = text.Split('\n');
        var expectedName = Path.GetFileNameWithoutExtension(file);
        var command = new Command { File = file };

        // Front matter.
        int start = 0;
        if (lines.Length > 0 && lines[0].Trim() == "---")
        {
            int end = Array.FindIndex(lines, 1, l => l.Trim() == "---");
            if (end < 0) { Error(file, 1, "The front matter (---) is not closed."); return null; }
            var helpFile = lines.Skip(1).Take(end - 1).Select(l => l.Split(new[] { ':' }, 2))
                .Where(kv => kv.Length == 2 && kv[0].Trim().Equals("external help file", StringComparison.OrdinalIgnoreCase))
                .Select(kv => kv[1].Trim()).FirstOrDefault();
            var expectedFile = Path.GetFileName(OutputFile);
            if (helpFile != null && !helpFile.Equals(expectedFile, StringComparison.OrdinalIgnoreCase))
                Error(file, 1, string.Format("'external help file: {0}' names another help file than {1}.", helpFile, expectedFile));
            start = end + 1;
        }

        var blocks = Tokenize(file, lines, start);
        var h1 = blocks.FirstOrDefault(b => b.Kind == "h1");
        if (h1 == null || blocks.Take(blocks.IndexOf(h1)).Any()) { Error(file, 1, "The file must start with '# <cmdlet name>'."); return null; }
        command.Name = h1.Text;
        if (!command.Name.Equals(expectedName, StringComparison.Ordinal))
            Error(file, h1.Line, string.Format("The heading names '{0}' but the file is {1}.md: the file must be named after its cmdlet.", command.Name, expectedName));
        int index = blocks.IndexOf(h1) + 1;

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (index < blocks.Count)
        {
            var h2 = blocks[index];
            if (h2.Kind != "h2") { Error(file, h2.Line, "Expected a '## SECTION' heading here."); index++; continue; }
            int next = blocks.FindIndex(index + 1, b => b.Kind == "h2" || b.Kind == "h1");
            if (next < 0) next = blocks.Count;
            var body = blocks.GetRange(index + 1, next - index - 1);
            var section = h2.Text.ToUpperInvariant();
            if (!seen.Add(section)) Error(file, h2.Line, "The section '" + h2.Text + "' appears twice.");
            command.SectionLines[section] = h2.Line;
            switch (section)
            {
                case "SYNOPSIS": command.Synopsis = TextOf(file, body); break;
                case "DESCRIPTION": command.Description = TextOf(file, body); break;
                case "NOTES": command.Notes = TextOf(file, body); break;
                case "SYNTAX": ParseSyntax(file, body, command); break;
                case "EXAMPLES": ParseExamples(file, body, command); break;
                case "PARAMETERS": ParseParameters(file, body, command); break;
                case "INPUTS": command.Inputs = ParseTypes(file, body); break;
                case "OUTPUTS": command.Outputs = ParseTypes(file, body); break;
                case "RELATED LINKS": ParseLinks(file, body, command); break;
                default: Error(file, h2.Line, "Unknown section '" + h2.Text + "'."); break;
            }
            index = next;
        }

        command.Line = h1.Line;
        Check(file, command);
        return command;
    }

    List<string> TextOf(string file, List<Block> body)
    {
        var paras = new List<string>();
        foreach (var block in body)
        {
            if (block.Kind == "para" || block.Kind == "code") { if (!Placeholder.IsMatch(block.Text.Trim())) paras.Add(block.Text); }
            else Error(file, block.Line, "Unexpected heading '" + block.Text + "' in a text section.");
        }
        return paras;
    }

    void ParseSyntax(string file, List<Block> body, Command command)
    {
        for (int i = 0; i < body.Count; i++)
        {
            var block = body[i];
            if (block.Kind == "code") { command.Sets.Add(new ParameterSet { Name = AllSets, Code = block.Text, Line = block.Line }); continue; }
            if (block.Kind != "h3") { Error(file, block.Line, "SYNTAX holds '### <parameter set>' headings, each followed by a code block."); continue; }
            var name = block.Text;
            bool isDefault = false;
            if (name.EndsWith("(Default)", StringComparison.OrdinalIgnoreCase)) { isDefault = true; name = name.Substring(0, name.Length - "(Default)".Length).Trim(); }
            var set = new ParameterSet { Name = name, IsDefault = isDefault, Line = block.Line };
            if (i + 1 < body.Count && body[i + 1].Kind == "code") set.Code = body[++i].Text;
            else Error(file, block.Line, "The parameter set '" + name + "' has no syntax code block.");
            if (command.Sets.Any(s => s.Name.Equals(name, StringComparison.OrdinalIgnoreCase))) Error(file, block.Line, "The parameter set '" + name + "' appears twice.");
            command.Sets.Add(set);
        }
    }

    void ParseExamples(string file, List<Block> body, Command command)
    {
        Example example = null;
        foreach (var block in body)
        {
            if (block.Kind == "h3") { example = new Example { Title = block.Text, Line = block.Line }; command.Examples.Add(example); continue; }
            if (example == null) { Error(file, block.Line, "EXAMPLES holds '### Example N: <title>' headings, each followed by a code block and remarks."); continue; }
            if (block.Kind == "code") example.Code = example.Code == null ? block.Text : example.Code + "\n\n" + block.Text;
            else if (Placeholder.IsMatch(block.Text.Trim())) continue;
            else if (example.Code == null) example.Introduction.Add(block.Text);
            else example.Remarks.Add(block.Text);
        }
    }

    void ParseParameters(string file, List<Block> body, Command command)
    {
        Parameter parameter = null;
        bool skipping = false;
        foreach (var block in body)
        {
            if (block.Kind == "h3")
            {
                skipping = false;
                parameter = null;
                if (block.Text.Equals("CommonParameters", StringComparison.OrdinalIgnoreCase) || block.Text.Equals("WorkflowParameters", StringComparison.OrdinalIgnoreCase)) { skipping = true; continue; }
                if (!block.Text.StartsWith("-", StringComparison.Ordinal)) { Error(file, block.Line, "A parameter heading is '### -<Name>'."); skipping = true; continue; }
                parameter = new Parameter { Name = block.Text.Substring(1).Trim(), Line = block.Line };
                if (command.Parameters.Any(p => p.Name.Equals(parameter.Name, StringComparison.OrdinalIgnoreCase))) Error(file, block.Line, "The parameter -" + parameter.Name + " is described twice.");
                command.Parameters.Add(parameter);
                continue;
            }
            if (skipping) continue;
            if (parameter == null) { Error(file, block.Line, "PARAMETERS holds '### -<Name>' headings, each followed by a description and a yaml block."); continue; }
            if (block.Kind == "code" && block.Info.Equals("yaml", StringComparison.OrdinalIgnoreCase)) parameter.Metas.Add(ParseMeta(file, block));
            else if (block.Kind == "para" && !Placeholder.IsMatch(block.Text.Trim())) parameter.Description.Add(block.Text);
            else if (block.Kind == "code") parameter.Description.Add(block.Text);
        }
    }

    Meta ParseMeta(string file, Block block)
    {
        var meta = new Meta { Line = block.Line };
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var lines = block.Text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Trim().Length == 0) continue;
            int colon = line.IndexOf(':');
            var key = colon < 0 ? line.Trim() : line.Substring(0, colon).Trim();
            var value = colon < 0 ? "" : line.Substring(colon + 1).Trim();
            var known = YamlKeys.FirstOrDefault(k => k.Equals(key, StringComparison.OrdinalIgnoreCase));
            if (colon < 0 || known == null) { Error(file, block.Line + 1 + i, "Unknown parameter metadata '" + line.Trim() + "'; expected one of: " + string.Join(", ", YamlKeys) + "."); continue; }
            if (!seen.Add(known)) Error(file, block.Line + 1 + i, "'" + known + "' appears twice.");
            switch (known)
            {
                case "Type": meta.Type = value; break;
                case "Parameter Sets": meta.Sets = SplitList(value); break;
                case "Aliases": meta.Aliases = string.Join(", ", SplitList(value)); break;
                case "Accepted values": meta.AcceptedValues = SplitList(value); break;
                case "Required": meta.Required = ParseBool(file, block.Line + 1 + i, known, value); break;
                case "Position": meta.Position = value.Length == 0 || value.Equals("named", StringComparison.OrdinalIgnoreCase) ? "named" : value; break;
                case "Default value": meta.DefaultValue = value.Length == 0 ? null : value; break;
                case "Accept pipeline input": meta.PipelineInput = value.Length == 0 ? "False" : value; break;
                case "Accept wildcard characters": meta.Globbing = ParseBool(file, block.Line + 1 + i, known, value); break;
            }
        }
        if (meta.Type.Length == 0) Error(file, block.Line, "The parameter metadata has no 'Type'.");
        if (meta.Position != "named" && !meta.Position.All(char.IsDigit)) Error(file, block.Line, "'Position' must be a number or Named, not '" + meta.Position + "'.");
        return meta;
    }

    bool ParseBool(string file, int line, string key, string value)
    {
        if (value.Length == 0 || value.Equals("false", StringComparison.OrdinalIgnoreCase)) return false;
        if (value.Equals("true", StringComparison.OrdinalIgnoreCase)) return true;
        Error(file, line, "'" + key + "' must be True or False, not '" + value + "'.");
        return false;
    }

    static List<string> SplitList(string value)
    {
        return value.Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).ToList();
    }

    List<TypeEntry> ParseTypes(string file, List<Block> body)
    {
        var types = new List<TypeEntry>();
        foreach (var block in body)
        {
            if (block.Kind == "h3") { types.Add(new TypeEntry { Name = block.Text }); continue; }
            if (types.Count == 0) { Error(file, block.Line, "INPUTS and OUTPUTS hold '### <TypeName>' headings, each followed by a description."); continue; }
            if (!Placeholder.IsMatch(block.Text.Trim())) types[types.Count - 1].Description.Add(block.Text);
        }
        return types;
    }

    void ParseLinks(string file, List<Block> body, Command command)
    {
        foreach (var block in body)
        {
            var rest = block.Kind == "para" ? Link.Replace(block.Text, "").Trim() : block.Text;
            if (block.Kind != "para" || rest.Length > 0) { Error(file, block.Line, "RELATED LINKS holds only [text](uri) links."); continue; }
            foreach (Match link in Link.Matches(block.Text)) command.Links.Add(new KeyValuePair<string, string>(link.Groups[1].Value, link.Groups[2].Value));
        }
    }

    // ---------------------------------------------------------------- checks

    void Check(string file, Command command)
    {
        if (command.Synopsis.Count == 0) Error(file, command.LineOf("SYNOPSIS"), command.Name + " has no SYNOPSIS.");
        if (command.Description.Count == 0) Error(file, command.LineOf("DESCRIPTION"), command.Name + " has no DESCRIPTION.");
        if (command.Examples.Count < 2) Error(file, command.LineOf("EXAMPLES"), command.Name + " needs at least two EXAMPLES ('### Example N: <title>' with a ```powershell``` block); it has " + command.Examples.Count + ".");
        foreach (var example in command.Examples.Where(e => string.IsNullOrWhiteSpace(e.Code))) Error(file, example.Line, "The example '" + example.Title + "' has no code block.");
        if (command.Outputs.Count == 0) Error(file, command.LineOf("OUTPUTS"), command.Name + " has no OUTPUTS ('### <TypeName>', or '### None').");
        if (command.Links.Count == 0) Error(file, command.LineOf("RELATED LINKS"), command.Name + " has no RELATED LINKS.");
        if (command.Sets.Count == 0) Error(file, command.LineOf("SYNTAX"), command.Name + " has no SYNTAX.");
        if (command.Sets.Count(s => s.IsDefault) > 1) Error(file, command.LineOf("SYNTAX"), command.Name + " has more than one (Default) parameter set.");

        var setNames = command.Sets.Select(s => s.Name).ToList();
        foreach (var parameter in command.Parameters)
        {
            if (parameter.Description.Count == 0) Error(file, parameter.Line, "The parameter -" + parameter.Name + " has no description.");
            if (parameter.Metas.Count == 0) { Error(file, parameter.Line, "The parameter -" + parameter.Name + " has no ```yaml``` metadata block."); continue; }
            var covered = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var meta in parameter.Metas)
            {
                foreach (var set in SetsOf(meta, setNames))
                {
                    if (!setNames.Contains(set, StringComparer.OrdinalIgnoreCase)) Error(file, meta.Line, "-" + parameter.Name + " names the parameter set '" + set + "', which SYNTAX does not have.");
                    else if (!covered.Add(set)) Error(file, meta.Line, "-" + parameter.Name + " has two metadata blocks for the parameter set '" + set + "'.");
                }
            }
        }

        // Each syntax block must name exactly the parameters of its set, so that what readers see is what Get-Help shows.
        foreach (var set in command.Sets.Where(s => s.Code != null))
        {
            var written = new HashSet<string>(Regex.Matches(set.Code, @"(?<=^|[\s\[])-([A-Za-z_][A-Za-z0-9_]*)").Cast<Match>().Select(m => m.Groups[1].Value), StringComparer.OrdinalIgnoreCase);
            var described = new HashSet<string>(ParametersOf(command, set.Name).Select(p => p.Key.Name), StringComparer.OrdinalIgnoreCase);
            var missing = described.Where(n => !written.Contains(n)).ToList();
            var extra = written.Where(n => !described.Contains(n)).ToList();
            if (missing.Count > 0 || extra.Count > 0)
                Error(file, set.Line, "The syntax of the parameter set '" + set.Name + "' does not match PARAMETERS:"
                    + (missing.Count > 0 ? " not in the syntax: -" + string.Join(", -", missing) + "." : "")
                    + (extra.Count > 0 ? " not described under PARAMETERS (or not in this set): -" + string.Join(", -", extra) + "." : ""));
        }
    }

    static IEnumerable<string> SetsOf(Meta meta, List<string> setNames)
    {
        if (meta.Sets.Count == 0 || meta.Sets.Any(s => s.Equals("(All)", StringComparison.OrdinalIgnoreCase) || s == AllSets)) return setNames;
        return meta.Sets;
    }

    /// <summary>The parameters of a set, in the order of PARAMETERS, each with the metadata that applies in that set.</summary>
    static IEnumerable<KeyValuePair<Parameter, Meta>> ParametersOf(Command command, string set)
    {
        var setNames = command.Sets.Select(s => s.Name).ToList();
        foreach (var parameter in command.Parameters)
        {
            var meta = parameter.Metas.FirstOrDefault(m => SetsOf(m, setNames).Contains(set, StringComparer.OrdinalIgnoreCase));
            if (meta != null) yield return new KeyValuePair<Parameter, Meta>(parameter, meta);
        }
    }

    // ---------------------------------------------------------------- MAML

    static void Write(XmlWriter xml, List<Command> commands)
    {
        xml.WriteStartDocument();
        xml.WriteComment(" Generated from docs/help/*.md by build/HelpGeneration.targets: edit the markdown, not this file. ");
        xml.WriteStartElement("helpItems", "http://msh");
        xml.WriteAttributeString("schema", "maml");
        foreach (var command in commands)
        {
            xml.WriteStartElement("command", "command", CommandNs);
            xml.WriteAttributeString("xmlns", "maml", null, MamlNs);
            xml.WriteAttributeString("xmlns", "command", null, CommandNs);
            xml.WriteAttributeString("xmlns", "dev", null, DevNs);
            xml.WriteAttributeString("xmlns", "MSHelp", null, "http://msdn.microsoft.com/mshelp");

            xml.WriteStartElement("command", "details", CommandNs);
            xml.WriteElementString("command", "name", CommandNs, command.Name);
            int dash = command.Name.IndexOf('-');
            xml.WriteElementString("command", "verb", CommandNs, dash < 0 ? command.Name : command.Name.Substring(0, dash));
            xml.WriteElementString("command", "noun", CommandNs, dash < 0 ? "" : command.Name.Substring(dash + 1));
            Paras(xml, "maml", "description", MamlNs, command.Synopsis);
            xml.WriteEndElement();

            Paras(xml, "maml", "description", MamlNs, command.Description);

            xml.WriteStartElement("command", "syntax", CommandNs);
            foreach (var set in command.Sets)
            {
                xml.WriteStartElement("command", "syntaxItem", CommandNs);
                xml.WriteElementString("maml", "name", MamlNs, command.Name);
                foreach (var pair in ParametersOf(command, set.Name)) WriteParameter(xml, pair.Key, pair.Value, inSyntax: true);
                xml.WriteEndElement();
            }
            xml.WriteEndElement();

            xml.WriteStartElement("command", "parameters", CommandNs);
            foreach (var parameter in command.Parameters.Where(p => p.Metas.Count > 0)) WriteParameter(xml, parameter, parameter.Metas[0], inSyntax: false);
            xml.WriteEndElement();

            WriteTypes(xml, "inputTypes", "inputType", command.Inputs);
            WriteTypes(xml, "returnValues", "returnValue", command.Outputs);

            if (command.Notes.Count > 0)
            {
                xml.WriteStartElement("maml", "alertSet", MamlNs);
                Paras(xml, "maml", "alert", MamlNs, command.Notes);
                xml.WriteEndElement();
            }

            xml.WriteStartElement("command", "examples", CommandNs);
            foreach (var example in command.Examples)
            {
                xml.WriteStartElement("command", "example", CommandNs);
                xml.WriteElementString("maml", "title", MamlNs, "--------- " + example.Title + " ---------");
                if (example.Introduction.Count > 0) Paras(xml, "maml", "introduction", MamlNs, example.Introduction);
                xml.WriteElementString("dev", "code", DevNs, example.Code ?? "");
                // The empty paragraph ends the example with a blank line in Get-Help, as platyPS's MAML does.
                Paras(xml, "dev", "remarks", DevNs, example.Remarks.Concat(new[] { "" }));
                xml.WriteEndElement();
            }
            xml.WriteEndElement();

            xml.WriteStartElement("maml", "relatedLinks", MamlNs);
            foreach (var link in command.Links)
            {
                xml.WriteStartElement("maml", "navigationLink", MamlNs);
                xml.WriteElementString("maml", "linkText", MamlNs, link.Key);
                xml.WriteElementString("maml", "uri", MamlNs, link.Value);
                xml.WriteEndElement();
            }
            xml.WriteEndElement();

            xml.WriteEndElement(); // command:command
        }
        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    static void WriteParameter(XmlWriter xml, Parameter parameter, Meta meta, bool inSyntax)
    {
        xml.WriteStartElement("command", "parameter", CommandNs);
        xml.WriteAttributeString("required", meta.Required ? "true" : "false");
        xml.WriteAttributeString("variableLength", "true");
        xml.WriteAttributeString("globbing", meta.Globbing ? "true" : "false");
        xml.WriteAttributeString("pipelineInput", meta.PipelineInput);
        xml.WriteAttributeString("position", meta.Position);
        xml.WriteAttributeString("aliases", meta.Aliases.Length == 0 ? "none" : meta.Aliases);
        xml.WriteElementString("maml", "name", MamlNs, parameter.Name);
        Paras(xml, "maml", "description", MamlNs, parameter.Description);
        if (meta.AcceptedValues.Count > 0)
        {
            xml.WriteStartElement("command", "parameterValueGroup", CommandNs);
            foreach (var value in meta.AcceptedValues)
            {
                xml.WriteStartElement("command", "parameterValue", CommandNs);
                xml.WriteAttributeString("required", "false");
                xml.WriteAttributeString("variableLength", "false");
                xml.WriteString(value);
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
        }
        var type = meta.IsSwitch ? "SwitchParameter" : meta.Type;
        // As in platyPS's MAML: a switch shows no value in the syntax.
        if (!(inSyntax && meta.IsSwitch))
        {
            xml.WriteStartElement("command", "parameterValue", CommandNs);
            xml.WriteAttributeString("required", meta.IsSwitch ? "false" : "true");
            xml.WriteAttributeString("variableLength", "false");
            xml.WriteString(type);
            xml.WriteEndElement();
        }
        xml.WriteStartElement("dev", "type", DevNs);
        xml.WriteElementString("maml", "name", MamlNs, type);
        xml.WriteElementString("maml", "uri", MamlNs, "");
        xml.WriteEndElement();
        if (!inSyntax) xml.WriteElementString("dev", "defaultValue", DevNs, meta.DefaultValue ?? "None");
        xml.WriteEndElement();
    }

    static void WriteTypes(XmlWriter xml, string listName, string itemName, List<TypeEntry> types)
    {
        xml.WriteStartElement("command", listName, CommandNs);
        foreach (var type in types)
        {
            xml.WriteStartElement("command", itemName, CommandNs);
            xml.WriteStartElement("dev", "type", DevNs);
            xml.WriteElementString("maml", "name", MamlNs, type.Name);
            xml.WriteEndElement();
            Paras(xml, "maml", "description", MamlNs, type.Description);
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
    }

    static void Paras(XmlWriter xml, string prefix, string name, string ns, IEnumerable<string> paras)
    {
        xml.WriteStartElement(prefix, name, ns);
        foreach (var para in paras) xml.WriteElementString("maml", "para", MamlNs, para);
        xml.WriteEndElement();
    }
}
