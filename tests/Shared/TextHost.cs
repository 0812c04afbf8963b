using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;

namespace RootMail.Testing
{
    /// <summary>
    /// A non-interactive PowerShell host that writes everything to a <see cref="TextWriter"/>, as a
    /// console would show it: output rendered by Out-Default (format.ps1xml views, at
    /// <see cref="Width"/> columns), error lines, "VERBOSE: ", "WARNING: " and "DEBUG: " lines, and,
    /// only when <see cref="ShowProgress"/> is set, one line per progress record:
    /// "[activity] status (n%)". Prompts (-Confirm, Read-Host, mandatory parameters) read lines from
    /// <see cref="Input"/>; without it they fail, as in a non-interactive session.
    /// </summary>
    public sealed class TextHost : PSHost
    {
        private readonly TextHostUserInterface ui;

        public TextHost(TextWriter writer, int width = 120)
        {
            Writer = writer ?? throw new ArgumentNullException(nameof(writer));
            ui = new TextHostUserInterface(this, width);
        }

        /// <summary>Where everything goes. May be swapped while no pipeline writes.</summary>
        public TextWriter Writer { get; set; }

        /// <summary>Serializes writes: pipelines, progress and host calls may come from several threads.</summary>
        internal object WriteLock { get; } = new object();

        /// <summary>Columns used by the formatter (the buffer and window width).</summary>
        public int Width
        {
            get => ui.RawHost.Width;
            set => ui.RawHost.Width = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
        }

        /// <summary>Render progress records as "[activity] status (n%)" lines. Off by default.</summary>
        public bool ShowProgress { get; set; }

        /// <summary>
        /// Colour host-written lines (errors, warnings, verbose, debug, coloured Write) with ANSI escape
        /// sequences and report virtual-terminal support. Use only when the writer is a terminal; the
        /// runspace's $PSStyle.OutputRendering decides the colours of formatted output.
        /// </summary>
        public bool UseAnsi { get; set; }

        /// <summary>Answers for prompts and Read-Host, one line each. null: prompting fails (non-interactive).</summary>
        public TextReader? Input { get; set; }

        /// <summary>Exit code passed to SetShouldExit (the `exit` keyword at top level), if any.</summary>
        public int? ExitCode { get; private set; }

        public CultureInfo Culture { get; set; } = CultureInfo.GetCultureInfo("en-US");

        public override string Name => "RootMail.TextHost";

        public override Version Version { get; } = new Version(1, 0);

        public override Guid InstanceId { get; } = Guid.NewGuid();

        public override PSHostUserInterface UI => ui;

        public override CultureInfo CurrentCulture => Culture;

        public override CultureInfo CurrentUICulture => Culture;

        public override void SetShouldExit(int exitCode) => ExitCode = exitCode;

        public override void EnterNestedPrompt() =>
            throw new NotSupportedException("TextHost is non-interactive: nested prompts are not supported.");

        public override void ExitNestedPrompt() =>
            throw new NotSupportedException("TextHost is non-interactive: nested prompts are not supported.");

        public override void NotifyBeginApplication()
        {
        }

        public override void NotifyEndApplication()
        {
        }

        /// <summary>Formats a progress record the way this host shows it.</summary>
        public static string FormatProgress(ProgressRecord record)
        {
            var sb = new StringBuilder();
            sb.Append('[').Append(record.Activity).Append(']');
            if (!string.IsNullOrEmpty(record.StatusDescription))
            {
                sb.Append(' ').Append(record.StatusDescription);
            }
            if (!string.IsNullOrEmpty(record.CurrentOperation))
            {
                sb.Append(" - ").Append(record.CurrentOperation);
            }
            if (record.PercentComplete >= 0)
            {
                sb.Append(" (").Append(record.PercentComplete.ToString(CultureInfo.InvariantCulture)).Append("%)");
            }
            return sb.ToString();
        }

        internal void WriteRaw(string text)
        {
            lock (WriteLock)
            {
                Writer.Write(text);
                Writer.Flush();
            }
        }
    }

    internal sealed class TextHostUserInterface : PSHostUserInterface
    {
        private const string Reset = "\u001b[0m";
        private readonly TextHost host;

        public TextHostUserInterface(TextHost host, int width)
        {
            this.host = host;
            RawHost = new TextHostRawUserInterface(width);
        }

        public TextHostRawUserInterface RawHost { get; }

        public override PSHostRawUserInterface RawUI => RawHost;

        public override bool SupportsVirtualTerminal => host.UseAnsi;

        public override void Write(string value) => host.WriteRaw(Render(value));

        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value)
        {
            if (host.UseAnsi && !string.IsNullOrEmpty(value))
            {
                host.WriteRaw(Sgr(foregroundColor, backgroundColor) + Render(value) + Reset);
            }
            else
            {
                host.WriteRaw(Render(value));
            }
        }

        public override void WriteLine() => host.WriteRaw(Environment.NewLine);

        public override void WriteLine(string value) => host.WriteRaw(Render(value) + Environment.NewLine);

        public override void WriteLine(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value)
        {
            Write(foregroundColor, backgroundColor, value);
            WriteLine();
        }

        public override void WriteErrorLine(string value) => WriteColouredLine("", value, "\u001b[91m");

        public override void WriteWarningLine(string message) => WriteColouredLine("WARNING: ", message, "\u001b[93m");

        public override void WriteVerboseLine(string message) => WriteColouredLine("VERBOSE: ", message, "\u001b[93m");

        public override void WriteDebugLine(string message) => WriteColouredLine("DEBUG: ", message, "\u001b[93m");

        public override void WriteInformation(InformationRecord record)
        {
            // The engine itself shows information records that are to be displayed (Write-Host and
            // -InformationAction Continue) through Write/WriteLine; nothing to add here.
        }

        public override void WriteProgress(long sourceId, ProgressRecord record)
        {
            if (!host.ShowProgress || record == null || record.RecordType == ProgressRecordType.Completed)
            {
                return;
            }
            WriteLine(TextHost.FormatProgress(record));
        }

        public override string ReadLine()
        {
            var input = host.Input ?? throw NonInteractive("read a line");
            var line = input.ReadLine() ?? throw NonInteractive("read a line (no input left)");
            host.WriteRaw(line + Environment.NewLine); // echo, as a console shows what was typed
            return line;
        }

        public override SecureString ReadLineAsSecureString()
        {
            var input = host.Input ?? throw NonInteractive("read a secure string");
            var line = input.ReadLine() ?? throw NonInteractive("read a secure string (no input left)");
            host.WriteRaw(new string('*', line.Length) + Environment.NewLine);
            var secure = new SecureString();
            foreach (var c in line)
            {
                secure.AppendChar(c);
            }
            secure.MakeReadOnly();
            return secure;
        }

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions)
        {
            if (host.Input == null)
            {
                throw NonInteractive($"prompt for {string.Join(", ", descriptions.Select(d => d.Name))}");
            }
            WriteCaptionAndMessage(caption, message);
            var result = new Dictionary<string, PSObject>();
            foreach (var field in descriptions)
            {
                Write(field.Name + ": ");
                if (field.ParameterTypeFullName == typeof(SecureString).FullName)
                {
                    result[field.Name] = PSObject.AsPSObject(ReadLineAsSecureString());
                }
                else
                {
                    result[field.Name] = PSObject.AsPSObject(ReadLine());
                }
            }
            return result;
        }

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw NonInteractive("prompt for a credential");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
            PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            throw NonInteractive("prompt for a credential");

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            if (host.Input == null)
            {
                throw NonInteractive($"ask \"{message}\"");
            }
            WriteCaptionAndMessage(caption, message);
            var hotkeys = choices.Select(c => HotKey(c.Label)).ToArray();
            var line = new StringBuilder();
            for (var i = 0; i < choices.Count; i++)
            {
                line.Append('[').Append(hotkeys[i]).Append("] ").Append(choices[i].Label.Replace("&", "")).Append("  ");
            }
            line.Append("[?] Help");
            if (defaultChoice >= 0 && defaultChoice < choices.Count)
            {
                line.Append(" (default is \"").Append(hotkeys[defaultChoice]).Append("\")");
            }
            line.Append(": ");
            while (true)
            {
                Write(line.ToString());
                var answer = ReadLine().Trim();
                if (answer.Length == 0 && defaultChoice >= 0)
                {
                    return defaultChoice;
                }
                for (var i = 0; i < choices.Count; i++)
                {
                    if (string.Equals(answer, hotkeys[i], StringComparison.OrdinalIgnoreCase)
                        || string.Equals(answer, choices[i].Label.Replace("&", ""), StringComparison.OrdinalIgnoreCase))
                    {
                        return i;
                    }
                }
                if (answer == "?")
                {
                    foreach (var (choice, key) in choices.Zip(hotkeys, (c, k) => (c, k)))
                    {
                        WriteLine(key + " - " + choice.HelpMessage);
                    }
                }
            }
        }

        private void WriteCaptionAndMessage(string caption, string message)
        {
            if (!string.IsNullOrEmpty(caption))
            {
                WriteLine(caption);
            }
            if (!string.IsNullOrEmpty(message))
            {
                WriteLine(message);
            }
        }

        /// <summary>
        /// The formatter decorates text (table headers, error views) with ANSI sequences and leaves it
        /// to the host to keep or drop them, as pwsh's console host does: plain text unless this host
        /// supports virtual terminal sequences, then as $PSStyle.OutputRendering says.
        /// </summary>
        private string Render(string? value) =>
            string.IsNullOrEmpty(value) ? "" : GetOutputString(value!, SupportsVirtualTerminal);

        private void WriteColouredLine(string prefix, string message, string ansiColour)
        {
            var text = prefix + Render(message);
            if (host.UseAnsi && text.IndexOf('\u001b') < 0)
            {
                host.WriteRaw(ansiColour + text + Reset + Environment.NewLine);
            }
            else
            {
                host.WriteRaw(text + Environment.NewLine);
            }
        }

        private static string HotKey(string label)
        {
            var amp = label.IndexOf('&');
            if (amp >= 0 && amp + 1 < label.Length)
            {
                return char.ToUpperInvariant(label[amp + 1]).ToString();
            }
            return label.Length > 0 ? char.ToUpperInvariant(label[0]).ToString() : "";
        }

        private static PSInvalidOperationException NonInteractive(string what) =>
            new PSInvalidOperationException($"TextHost is non-interactive and cannot {what}: set TextHost.Input to answer prompts.");

        private static string Sgr(ConsoleColor fg, ConsoleColor bg) => $"\u001b[{Foreground(fg)};{Foreground(bg) + 10}m";

        private static int Foreground(ConsoleColor c)
        {
            switch (c)
            {
                case ConsoleColor.Black: return 30;
                case ConsoleColor.DarkRed: return 31;
                case ConsoleColor.DarkGreen: return 32;
                case ConsoleColor.DarkYellow: return 33;
                case ConsoleColor.DarkBlue: return 34;
                case ConsoleColor.DarkMagenta: return 35;
                case ConsoleColor.DarkCyan: return 36;
                case ConsoleColor.Gray: return 37;
                case ConsoleColor.DarkGray: return 90;
                case ConsoleColor.Red: return 91;
                case ConsoleColor.Green: return 92;
                case ConsoleColor.Yellow: return 93;
                case ConsoleColor.Blue: return 94;
                case ConsoleColor.Magenta: return 95;
                case ConsoleColor.Cyan: return 96;
                default: return 97;
            }
        }
    }

    internal sealed class TextHostRawUserInterface : PSHostRawUserInterface
    {
        private int width;

        public TextHostRawUserInterface(int width)
        {
            this.width = width;
        }

        public int Width
        {
            get => width;
            set => width = value;
        }

        public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;

        public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;

        public override Coordinates CursorPosition { get; set; }

        public override Coordinates WindowPosition { get; set; }

        public override int CursorSize { get; set; } = 25;

        public override Size BufferSize
        {
            get => new Size(width, 9001);
            set => width = value.Width;
        }

        public override Size WindowSize
        {
            get => new Size(width, 50);
            set => width = value.Width;
        }

        public override Size MaxWindowSize => new Size(width, 50);

        public override Size MaxPhysicalWindowSize => new Size(width, 50);

        public override bool KeyAvailable => false;

        public override string WindowTitle { get; set; } = "RootMail";

        public override KeyInfo ReadKey(ReadKeyOptions options) =>
            throw new PSInvalidOperationException("TextHost is non-interactive: ReadKey is not supported.");

        public override void FlushInputBuffer()
        {
        }

        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) =>
            throw new NotSupportedException("TextHost has no screen buffer.");

        public override void SetBufferContents(Rectangle rectangle, BufferCell fill) =>
            throw new NotSupportedException("TextHost has no screen buffer.");

        public override BufferCell[,] GetBufferContents(Rectangle rectangle) =>
            throw new NotSupportedException("TextHost has no screen buffer.");

        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) =>
            throw new NotSupportedException("TextHost has no screen buffer.");
    }
}
