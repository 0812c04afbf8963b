using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Text;

namespace RootMail.Tests
{
    /// <summary>Everything one script run produced, stream by stream.</summary>
    public sealed class PsResult
    {
        private const int MaxDepth = 3;
        private const int MaxItemsPerCollection = 200;
        private const int MaxChars = 4_000_000;

        public PsResult(string script)
        {
            Script = script;
        }

        /// <summary>The script that ran (for assertion messages).</summary>
        public string Script { get; }

        public List<PSObject> Output { get; } = new List<PSObject>();

        /// <summary>Non-terminating errors and, last, the terminating one if the script threw.</summary>
        public List<ErrorRecord> Errors { get; } = new List<ErrorRecord>();

        public List<VerboseRecord> Verbose { get; } = new List<VerboseRecord>();

        public List<WarningRecord> Warning { get; } = new List<WarningRecord>();

        public List<DebugRecord> Debug { get; } = new List<DebugRecord>();

        public List<InformationRecord> Information { get; } = new List<InformationRecord>();

        public List<ProgressRecord> Progress { get; } = new List<ProgressRecord>();

        /// <summary>The error that stopped the script (a throw, -ErrorAction Stop, a parse error), if any. Also in <see cref="Errors"/>.</summary>
        public ErrorRecord? TerminatingError { get; internal set; }

        /// <summary>What the harness's host showed during this run (rendered tables, WARNING: lines, errors shown by Out-Default ...).</summary>
        public string HostText { get; internal set; } = "";

        /// <summary>True when no error was written and nothing was thrown.</summary>
        public bool Succeeded => Errors.Count == 0 && TerminatingError == null;

        /// <summary>The single output object; fails the test otherwise.</summary>
        public PSObject Single()
        {
            if (Output.Count != 1)
            {
                throw new Xunit.Sdk.XunitException($"Expected exactly one output object, got {Output.Count}.{Environment.NewLine}{Describe()}");
            }
            return Output[0];
        }

        /// <summary>Fails the test (with every stream in the message) unless the run succeeded.</summary>
        public PsResult EnsureSuccess()
        {
            if (!Succeeded)
            {
                throw new Xunit.Sdk.XunitException($"The script wrote {Errors.Count} error(s).{Environment.NewLine}{Describe()}");
            }
            return this;
        }

        /// <summary>The FullyQualifiedErrorIds of <see cref="Errors"/>, in order.</summary>
        public IReadOnlyList<string> ErrorIds => Errors.Select(e => e.FullyQualifiedErrorId ?? "").ToList();

        /// <summary>Value of a property of an output object (PowerShell's view: adapted, extended and note properties).</summary>
        public static object? Property(PSObject item, string name)
        {
            var value = item.Properties[name]?.Value;
            return value is PSObject pso && !(pso.BaseObject is PSCustomObject) ? pso.BaseObject : value;
        }

        /// <summary>A readable account of the run, for assertion messages.</summary>
        public string Describe()
        {
            var sb = new StringBuilder();
            sb.AppendLine("Script: " + Script);
            sb.AppendLine($"Output: {Output.Count} object(s)");
            foreach (var e in Errors)
            {
                sb.AppendLine($"Error [{e.FullyQualifiedErrorId}] ({e.CategoryInfo.Category}): {e}");
                for (var ex = e.Exception?.InnerException; ex != null; ex = ex.InnerException)
                {
                    sb.AppendLine($"  inner {ex.GetType().FullName}: {ex.Message}");
                }
            }
            foreach (var w in Warning)
            {
                sb.AppendLine("WARNING: " + w.Message);
            }
            foreach (var v in Verbose)
            {
                sb.AppendLine("VERBOSE: " + v.Message);
            }
            if (HostText.Length > 0)
            {
                sb.AppendLine("Host:").AppendLine(HostText);
            }
            return sb.ToString();
        }

        /// <summary>
        /// The text of every stream: output objects (ToString and every property, nested a few levels),
        /// errors (message, FullyQualifiedErrorId, category, details, target, position, script stack
        /// trace, every exception in the chain with its ToString and Data), verbose, warning, debug,
        /// information, progress, and what the host showed. For assertions such as "the account key
        /// appears nowhere". Pass secrets to scripts through parameters/variables, never literally in
        /// the script text: an error's position message quotes the script line.
        /// </summary>
        public string AllText()
        {
            var w = new Dumper();
            foreach (var o in Output)
            {
                w.Dump(o, 0);
                w.Line();
            }
            foreach (var e in Errors)
            {
                w.DumpError(e, 0);
                w.Line();
            }
            foreach (var v in Verbose)
            {
                w.Append("VERBOSE: " + v.Message).Line();
            }
            foreach (var v in Warning)
            {
                w.Append("WARNING: " + v.Message).Line();
            }
            foreach (var v in Debug)
            {
                w.Append("DEBUG: " + v.Message).Line();
            }
            foreach (var i in Information)
            {
                w.Append("INFORMATION: ").Append(i.Source).Append(' ').Append(string.Join(",", i.Tags)).Append(' ');
                w.Dump(i.MessageData, 1);
                w.Line();
            }
            foreach (var p in Progress)
            {
                w.Append("PROGRESS: ").Append(p.Activity).Append(' ').Append(p.StatusDescription).Append(' ').Append(p.CurrentOperation).Line();
            }
            if (TerminatingError != null && !Errors.Contains(TerminatingError))
            {
                w.DumpError(TerminatingError, 0);
            }
            w.Append(HostText);
            return w.ToString();
        }

        public override string ToString() => Describe();

        private sealed class Dumper
        {
            private readonly StringBuilder sb = new StringBuilder();
            private readonly HashSet<object> seen = new HashSet<object>(ReferenceEqualityComparer.Instance);

            public Dumper Append(string? s)
            {
                if (sb.Length < MaxChars && s != null)
                {
                    sb.Append(s);
                }
                return this;
            }

            public Dumper Append(char c) => Append(c.ToString());

            public Dumper Line() => Append(Environment.NewLine);

            public override string ToString() => sb.ToString();

            public void Dump(object? value, int depth)
            {
                if (value == null || sb.Length >= MaxChars)
                {
                    return;
                }
                var baseObject = value is PSObject wrapped ? wrapped.BaseObject : value;
                if (IsScalar(baseObject))
                {
                    Append(Convert.ToString(baseObject, CultureInfo.InvariantCulture)).Append(' ');
                    if (value is PSObject scalarPso)
                    {
                        DumpInstanceMembers(scalarPso, depth);
                    }
                    return;
                }
                // Every [pscustomobject] shares one base object: track the wrapper for those.
                var identity = baseObject is PSCustomObject && value is PSObject ? value : baseObject;
                if (!seen.Add(identity))
                {
                    return;
                }
                switch (baseObject)
                {
                    case ErrorRecord error:
                        DumpError(error, depth);
                        return;
                    case Exception exception:
                        DumpException(exception, depth);
                        return;
                    case IDictionary dictionary:
                        var n = 0;
                        foreach (DictionaryEntry entry in dictionary)
                        {
                            if (n++ >= MaxItemsPerCollection)
                            {
                                break;
                            }
                            Dump(entry.Key, depth + 1);
                            Append("= ");
                            Dump(entry.Value, depth + 1);
                            Append("; ");
                        }
                        return;
                    case IEnumerable enumerable:
                        var count = 0;
                        try
                        {
                            foreach (var item in enumerable)
                            {
                                if (count++ >= MaxItemsPerCollection)
                                {
                                    break;
                                }
                                Dump(item, depth + 1);
                                Append(", ");
                            }
                        }
                        catch (Exception ex)
                        {
                            Append($"<enumeration failed: {ex.Message}> ");
                        }
                        return;
                }

                var pso = value as PSObject ?? PSObject.AsPSObject(baseObject);
                Append(SafeToString(pso)).Append(' ');
                if (depth >= MaxDepth)
                {
                    return;
                }
                Append("{ ");
                foreach (var property in SafeProperties(pso))
                {
                    object? propertyValue;
                    try
                    {
                        propertyValue = property.Value;
                    }
                    catch (Exception ex)
                    {
                        propertyValue = $"<{ex.GetType().Name}: {ex.Message}>";
                    }
                    Append(property.Name).Append('=');
                    Dump(propertyValue, depth + 1);
                    Append("; ");
                }
                Append("} ");
            }

            public void DumpError(ErrorRecord e, int depth)
            {
                Append("ERROR: ").Append(SafeToString(e)).Line();
                Append("FullyQualifiedErrorId: ").Append(e.FullyQualifiedErrorId).Line();
                Append("Category: ").Append(SafeToString(e.CategoryInfo)).Line();
                if (e.ErrorDetails != null)
                {
                    Append("ErrorDetails: ").Append(e.ErrorDetails.Message).Append(' ').Append(e.ErrorDetails.RecommendedAction).Line();
                }
                if (e.TargetObject != null && depth < MaxDepth)
                {
                    Append("TargetObject: ");
                    Dump(e.TargetObject, depth + 1);
                    Line();
                }
                if (e.InvocationInfo != null)
                {
                    Append(e.InvocationInfo.PositionMessage).Line();
                }
                Append(e.ScriptStackTrace).Line();
                if (e.Exception != null)
                {
                    DumpException(e.Exception, depth);
                }
            }

            private void DumpException(Exception exception, int depth)
            {
                var pending = new Queue<Exception>();
                pending.Enqueue(exception);
                var done = new HashSet<Exception>(ReferenceEqualityComparer.Instance);
                while (pending.Count > 0)
                {
                    var ex = pending.Dequeue();
                    if (!done.Add(ex))
                    {
                        continue;
                    }
                    Append(ex.GetType().FullName).Append(": ").Append(ex.Message).Line();
                    Append(SafeToString(ex)).Line();
                    try
                    {
                        foreach (DictionaryEntry entry in ex.Data)
                        {
                            Append("Data ").Append(Convert.ToString(entry.Key, CultureInfo.InvariantCulture)).Append('=')
                                .Append(Convert.ToString(entry.Value, CultureInfo.InvariantCulture)).Line();
                        }
                    }
                    catch (Exception)
                    {
                        // Data is best effort
                    }
                    if (ex is IContainsErrorRecord withRecord && depth < MaxDepth)
                    {
                        var record = SafeErrorRecord(withRecord);
                        if (record != null && seen.Add(record))
                        {
                            DumpError(record, depth + 1);
                        }
                    }
                    if (ex is AggregateException aggregate)
                    {
                        foreach (var inner in aggregate.InnerExceptions)
                        {
                            pending.Enqueue(inner);
                        }
                    }
                    if (ex.InnerException != null)
                    {
                        pending.Enqueue(ex.InnerException);
                    }
                }
            }

            private void DumpInstanceMembers(PSObject pso, int depth)
            {
                if (depth >= MaxDepth)
                {
                    return;
                }
                foreach (var member in pso.Properties.Where(p => p is PSNoteProperty || p is PSScriptProperty))
                {
                    Append(member.Name).Append('=');
                    try
                    {
                        Dump(member.Value, depth + 1);
                    }
                    catch (Exception)
                    {
                        // best effort
                    }
                    Append("; ");
                }
            }

            private static ErrorRecord? SafeErrorRecord(IContainsErrorRecord withRecord)
            {
                try
                {
                    return withRecord.ErrorRecord;
                }
                catch (Exception)
                {
                    return null;
                }
            }

            private static IEnumerable<PSPropertyInfo> SafeProperties(PSObject pso)
            {
                try
                {
                    return pso.Properties.ToList();
                }
                catch (Exception)
                {
                    return Array.Empty<PSPropertyInfo>();
                }
            }

            private static string SafeToString(object? o)
            {
                try
                {
                    return o?.ToString() ?? "";
                }
                catch (Exception ex)
                {
                    return $"<ToString failed: {ex.Message}>";
                }
            }

            private static bool IsScalar(object o) =>
                o is string || o is char || o is bool || o is Enum || o is DateTime || o is DateTimeOffset || o is TimeSpan
                || o is Guid || o is Uri || o is decimal || o.GetType().IsPrimitive
                || o is System.Security.SecureString || o is Type || o is System.Reflection.MemberInfo
                || o is System.Reflection.Assembly;
        }
    }
}
