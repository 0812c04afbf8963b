using System;
using System.Collections.Generic;
using System.Globalization;
using RootMail.Exchange;
using RootMail.Mail;
using RootMail.Registry;
using RootMail.Rules;

namespace RootMail.Operations
{
    /// <summary>What Get-AwsRootMail asks for.</summary>
    public sealed class MailRequest
    {
        public string Pool { get; set; } = Limits.DefaultPool;
        public string? Address { get; set; }
        public string? AccountId { get; set; }
        /// <summary>Only messages received at or after this time (to the second); with Wait, the default is the start of the call.</summary>
        public DateTimeOffset? Since { get; set; }
        public int? First { get; set; }
        public bool Wait { get; set; }
        /// <summary>Seconds to wait with <see cref="Wait"/>; default 300.</summary>
        public int? Timeout { get; set; }
    }

    /// <summary>
    /// Reads the mail that arrived for a root alias. The registry says which pool mailbox receives the alias (one point
    /// read by address, two by AWS account); the mail port lists that mailbox's messages newest first, and the ones
    /// addressed to the alias (To or Cc) are kept. When the pool mailbox holds none and the mailbox forwards to a main
    /// mailbox, that one is searched too: forwarded mail keeps its original To.
    /// </summary>
    public sealed class MailOperations : OperationsBase, IDisposable
    {
        public const int DefaultTimeoutSeconds = 300;
        public const int MaxTimeoutSeconds = 86400;

        readonly Func<MailConnection, IMailReader> _readerFactory;
        IMailReader? _reader;

        /// <summary>The reader factory is called once, on first use, so nothing of the mail adapter (the Graph SDK) loads before.</summary>
        public MailOperations(RegistrySession session, IOperationHost host, Func<MailConnection, IMailReader> readerFactory)
            : base(session, host, () => throw new InvalidOperationException("Reading mail needs no Exchange command."))
        {
            _readerFactory = readerFactory;
        }

        /// <summary>Requests sent to the mail service by this instance.</summary>
        public long MailRequests => _reader?.RequestCount ?? 0;

        /// <summary>Shows a sign-in prompt (device code) on the caller's thread; set by the cmdlet.</summary>
        public Action<string>? ShowPrompt { get; set; }

        IMailReader Reader => _reader ??= _readerFactory(new MailConnection(Session.Info.GraphEndpoint, Session.Credential, Session.GraphAccessToken, Session.Prompts, ShowPrompt));

        /// <summary>Validates a request; throws RootMail.* errors for bad input before anything is read.</summary>
        public static void Check(MailRequest request)
        {
            Validate.PoolName(request.Pool);
            if (request.Address != null) Validate.AliasAddress(request.Address);
            else Validate.AccountId(request.AccountId);
            if (request.First is int first && first < 1) throw Errors.InvalidFirst(first);
            if (request.Timeout is int timeout)
            {
                if (!request.Wait) throw Errors.ArgumentCombination("-Timeout says how long -Wait waits: use it with -Wait.");
                if (timeout < 1 || timeout > MaxTimeoutSeconds) throw Errors.InvalidTimeout(timeout);
            }
        }

        /// <summary>
        /// The messages for the alias, newest first (at most First). With Wait, polls with back-off until at least one
        /// message received since Since (default: now) is there, or throws RootMail.MailWaitTimeout.
        /// </summary>
        public IEnumerable<AwsRootMessage> Get(MailRequest request)
        {
            var started = DateTimeOffset.UtcNow;
            Check(request);
            var pool = Validate.PoolName(request.Pool);
            if (Session.GraphAccessToken is null && Session.Credential is null) throw Errors.GraphNotConnected();
            var alias = request.Address != null ? ResolveAlias(pool, Validate.AliasAddress(request.Address)) : FindAccount(pool, Validate.AccountId(request.AccountId));
            if (alias.AddressRemoved)
                Host.Warning($"The address '{alias.Address}' was removed from its mailbox (Remove-AwsRootAlias -RemoveAddress): no new mail arrives for it; older mail may still be there.");
            var target = new Target(alias);
            return request.Wait ? WaitFor(target, request, started) : List(target, ToSecond(request.Since), request.First ?? int.MaxValue);
        }

        IEnumerable<AwsRootMessage> List(Target target, DateTimeOffset? since, int first)
        {
            int n = 0;
            foreach (var message in Search(target, since))
            {
                yield return message;
                if (++n >= first) yield break;
            }
        }

        IEnumerable<AwsRootMessage> WaitFor(Target target, MailRequest request, DateTimeOffset started)
        {
            var since = ToSecond(request.Since ?? started)!.Value;
            int timeout = request.Timeout ?? DefaultTimeoutSeconds;
            var deadline = started.AddSeconds(timeout);
            var activity = "Waiting for mail to " + target.Address;
            var delay = MailPolling.Initial;
            Host.Verbose($"Waiting up to {timeout} s for a message to {target.Address} received since {since.ToString("u", CultureInfo.InvariantCulture)}.");
            for (int check = 1; ; check++)
            {
                var found = new List<AwsRootMessage>();
                try
                {
                    foreach (var message in Search(target, since))
                    {
                        found.Add(message);
                        if (found.Count >= (request.First ?? int.MaxValue)) break;
                    }
                }
                catch (RootMailException ex) when (ex.Kind == ErrorKind.ResourceUnavailable || ex.Kind == ErrorKind.ConnectionError)
                {
                    // Throttled or unreachable after the SDK's own retries: a waiting command tries again at the next check.
                    if (!target.ToldRetry) Host.Warning($"Checking for mail to {target.Address} failed ({ex.ErrorId}); trying again until the timeout. {ex.Message}");
                    target.ToldRetry = true;
                    found.Clear();
                }
                if (found.Count > 0)
                {
                    Host.Progress(activity, "arrived", 100, completed: true);
                    Host.Verbose($"{found.Count} message(s) arrived after {check} check(s).");
                    foreach (var message in found) yield return message;
                    yield break;
                }
                var now = DateTimeOffset.UtcNow;
                var left = deadline - now;
                if (left <= TimeSpan.Zero)
                {
                    Host.Progress(activity, "timed out", 100, completed: true);
                    throw Errors.MailWaitTimeout(target.Address, timeout);
                }
                var wait = delay < left ? delay : left;
                int percent = (int)Math.Min(99, Math.Max(0, (now - started).TotalSeconds * 100 / timeout));
                Host.Progress(activity, $"No message yet after {check} check(s); next check in {Math.Ceiling(wait.TotalSeconds):0} s, {Math.Ceiling(left.TotalSeconds):0} s left", percent);
                Cancel.WaitHandle.WaitOne(wait);
                Cancel.ThrowIfCancellationRequested(); // Ctrl+C: the pipeline stops, and PowerShell clears the progress bar
                delay = TimeSpan.FromTicks(Math.Min(MailPolling.Max.Ticks, (long)(delay.Ticks * 1.5)));
            }
        }

        /// <summary>The alias's messages in its pool mailbox, newest first; when there are none, those in the main mailbox it forwards to.</summary>
        IEnumerable<AwsRootMessage> Search(Target target, DateTimeOffset? since)
        {
            bool any = false;
            foreach (var item in Reader.Messages(target.Mailbox, since, Cancel))
            {
                if (!Matches(item, target.Address, since)) continue;
                any = true;
                yield return ToMessage(item, target, target.Mailbox);
            }
            if (any) yield break;
            var forward = ForwardingTarget(target);
            if (forward is null) yield break;
            if (!target.ToldForward) Host.Verbose($"No message for {target.Address} in {target.Mailbox}; looking in {forward}, the main mailbox it forwards to.");
            target.ToldForward = true;
            using var items = Reader.Messages(forward, since, Cancel).GetEnumerator();
            while (true)
            {
                try
                {
                    if (!items.MoveNext()) yield break;
                }
                catch (RootMailException ex) when (ex.Kind == ErrorKind.PermissionDenied || ex.Kind == ErrorKind.ObjectNotFound)
                {
                    // Least privilege often scopes the application to the pool mailboxes only: the main mailbox is then out of reach.
                    if (!target.ToldForwardFailed)
                        Host.Warning($"The main mailbox {forward} could not be searched ({ex.ErrorId}); only {target.Mailbox} was. Mail to {target.Address} is kept there too when the pool forwards with a copy.");
                    target.ToldForwardFailed = true;
                    target.Forward = ""; // do not ask again in this call
                    yield break;
                }
                if (Matches(items.Current, target.Address, since)) yield return ToMessage(items.Current, target, forward);
            }
        }

        static bool Matches(MailItem item, string address, DateTimeOffset? since) => item.IsAddressedTo(address) && (since is null || item.ReceivedAt >= since.Value);

        /// <summary>The main mailbox the alias's pool mailbox forwards to: the mailbox's own setting, else the pool's. Read once, only when needed.</summary>
        string? ForwardingTarget(Target target)
        {
            if (target.Forward is null)
            {
                var mailbox = Registry.Get<MailboxRow>(Keys.Mailbox(target.Mailbox), Cancel);
                var forward = mailbox?.ForwardingAddress;
                if (string.IsNullOrEmpty(forward)) forward = Registry.Get<PoolRow>(Keys.Pool(target.Pool), Cancel)?.ForwardingAddress;
                target.Forward = string.IsNullOrEmpty(forward) || string.Equals(forward, target.Mailbox, StringComparison.OrdinalIgnoreCase) ? "" : forward!;
            }
            return target.Forward.Length == 0 ? null : target.Forward;
        }

        static AwsRootMessage ToMessage(MailItem item, Target target, string mailbox)
        {
            var body = item.Body;
            var preview = MailText.OneLine(string.IsNullOrEmpty(item.Preview) ? body : item.Preview);
            return new AwsRootMessage(item.ReceivedAt.ToUniversalTime(), item.From, item.Subject, preview, VerificationCode.Find(item.Subject, body ?? item.Preview),
                target.Address, mailbox, item.Id, body, target.AccountId, target.Pool);
        }

        /// <summary>Graph keeps receivedDateTime to the second: compare at that precision, so a message of the same second counts.</summary>
        static DateTimeOffset? ToSecond(DateTimeOffset? time)
        {
            if (time is null) return null;
            var utc = time.Value.ToUniversalTime();
            return new DateTimeOffset(utc.Ticks - utc.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
        }

        public void Dispose() => _reader?.Dispose();

        sealed class Target
        {
            public Target(AliasRow alias)
            {
                Address = alias.Address;
                Mailbox = alias.Mailbox;
                Pool = alias.Pool;
                AccountId = alias.AccountId;
            }

            public string Address { get; }
            public string Mailbox { get; }
            public string Pool { get; }
            public string? AccountId { get; }
            /// <summary>null: not read yet; "": none.</summary>
            public string? Forward { get; set; }
            public bool ToldForward { get; set; }
            public bool ToldForwardFailed { get; set; }
            public bool ToldRetry { get; set; }
        }
    }

    /// <summary>
    /// How -Wait polls: first after <see cref="Initial"/>, then 1.5 times longer each time up to <see cref="Max"/>. The
    /// environment variable ROOTMAIL_MAIL_POLL_MS ("initial" or "initial,max" in milliseconds) overrides both, for tests.
    /// </summary>
    internal static class MailPolling
    {
        public static TimeSpan Initial => Read(0) ?? TimeSpan.FromSeconds(2);
        public static TimeSpan Max => Read(1) ?? (Read(0) is TimeSpan i ? TimeSpan.FromTicks(i.Ticks * 4) : TimeSpan.FromSeconds(15));

        static TimeSpan? Read(int index)
        {
            var value = Environment.GetEnvironmentVariable("ROOTMAIL_MAIL_POLL_MS");
            if (string.IsNullOrWhiteSpace(value)) return null;
            var parts = value!.Split(',');
            return index < parts.Length && int.TryParse(parts[index].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms > 0
                ? TimeSpan.FromMilliseconds(ms) : (TimeSpan?)null;
        }
    }
}
