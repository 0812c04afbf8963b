using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using RootMail.Operations;
using RootMail.Rules;

namespace RootMail.Commands
{
    /// <summary>Completes -Pool from the registry of the current runspace.</summary>
    public sealed class PoolCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
            => Completion.From(wordToComplete, session => new PoolOperations(session, Completion.Host).Get(null).Select(p => p.Name));
    }

    /// <summary>Completes -Mailbox and -Identity with the names of the pool's mailboxes.</summary>
    public sealed class MailboxCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var pool = fakeBoundParameters?["Pool"] as string ?? Limits.DefaultPool;
            return Completion.From(wordToComplete, session => new MailboxOperations(session, Completion.Host, () => throw new InvalidOperationException()).Get(pool, null).Select(m => m.Name));
        }
    }

    /// <summary>Completes -Address from the registry: one prefix range of the alias rows, at most 100 addresses.</summary>
    public sealed class AddressCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var pool = fakeBoundParameters?["Pool"] as string ?? Limits.DefaultPool;
            var prefix = (wordToComplete ?? "").Trim('\'', '"').ToLowerInvariant();
            return Completion.From(prefix, session => new AliasOperations(session, Completion.Host, () => throw new InvalidOperationException()).Complete(pool, prefix, 100));
        }
    }

    /// <summary>Completes -Status with the alias statuses.</summary>
    public sealed class StatusCompleter : IArgumentCompleter
    {
        static readonly string[] Statuses = { "Reserved", "Available", "Assigned", "Registered", "Retired" };

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
            => Statuses.Where(s => s.StartsWith((wordToComplete ?? "").Trim('\'', '"'), StringComparison.OrdinalIgnoreCase))
                .Select(s => new CompletionResult(s, s, CompletionResultType.ParameterValue, s));
    }

    internal static class Completion
    {
        public static readonly IOperationHost Host = new SilentHost();

        public static IEnumerable<CompletionResult> From(string word, Func<Registry.RegistrySession, IEnumerable<string>> values)
        {
            var session = ConnectionStore.Current;
            if (session is null) return Enumerable.Empty<CompletionResult>();
            try
            {
                var prefix = (word ?? "").Trim('\'', '"');
                return values(session).Where(v => v.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).Take(100)
                    .Select(v => new CompletionResult(v.IndexOf(' ') >= 0 ? "'" + v + "'" : v, v, CompletionResultType.ParameterValue, v)).ToList();
            }
            catch (RootMailException)
            {
                return Enumerable.Empty<CompletionResult>();
            }
        }

        sealed class SilentHost : IOperationHost
        {
            public bool ShouldProcess(string target, string action) => false;
            public void Verbose(string message) { }
            public void Warning(string message) { }
            public void Progress(string activity, string status, int percent, bool completed = false) { }
            public CancellationToken Cancellation => CancellationToken.None;
        }
    }
}
