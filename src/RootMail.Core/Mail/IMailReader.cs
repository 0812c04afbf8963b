using System;
using System.Collections.Generic;
using System.Threading;

namespace RootMail.Mail
{
    /// <summary>
    /// The mail port: reads the messages of one mailbox, newest first. RootMail.Core knows nothing of how; the
    /// Microsoft Graph adapter (RootMail.Graph) implements it. Failures are RootMailExceptions (RootMail.Mail*, RootMail.Graph*).
    /// </summary>
    public interface IMailReader : IDisposable
    {
        /// <summary>
        /// The messages of <paramref name="mailbox"/> (a primary SMTP address) received at or after <paramref name="since"/>
        /// (all when null), newest first, fetched lazily page by page: stop enumerating and no further page is asked for.
        /// </summary>
        IEnumerable<MailItem> Messages(string mailbox, DateTimeOffset? since, CancellationToken cancel);

        /// <summary>Requests sent to the mail service so far (pages, retries by the SDK not counted).</summary>
        long RequestCount { get; }
    }

    /// <summary>One message as the mail service returns it; the body as plain text.</summary>
    public sealed class MailItem
    {
        public MailItem(string id, DateTimeOffset receivedAt, string? from, string? subject, string? preview, string? body,
            IReadOnlyList<string> to, IReadOnlyList<string> cc)
        {
            Id = id;
            ReceivedAt = receivedAt;
            From = from;
            Subject = subject;
            Preview = preview;
            Body = body;
            To = to ?? Array.Empty<string>();
            Cc = cc ?? Array.Empty<string>();
        }

        public string Id { get; }
        public DateTimeOffset ReceivedAt { get; }
        /// <summary>The sender's address.</summary>
        public string? From { get; }
        public string? Subject { get; }
        /// <summary>The service's preview of the body (Graph: bodyPreview, up to 255 characters).</summary>
        public string? Preview { get; }
        /// <summary>The body as plain text.</summary>
        public string? Body { get; }
        public IReadOnlyList<string> To { get; }
        public IReadOnlyList<string> Cc { get; }

        /// <summary>True when <paramref name="address"/> is among the To or Cc recipients (case-insensitive).</summary>
        public bool IsAddressedTo(string address)
        {
            foreach (var a in To) if (string.Equals(a?.Trim(), address, StringComparison.OrdinalIgnoreCase)) return true;
            foreach (var a in Cc) if (string.Equals(a?.Trim(), address, StringComparison.OrdinalIgnoreCase)) return true;
            return false;
        }
    }

    /// <summary>Where and how to reach the mail service; handed to the adapter's factory. Holds credentials, never shows them.</summary>
    public sealed class MailConnection
    {
        public MailConnection(Uri endpoint, Azure.Core.TokenCredential? credential, System.Security.SecureString? accessToken,
            SignInPrompts? prompts = null, Action<string>? show = null)
        {
            Endpoint = endpoint;
            Credential = credential;
            AccessToken = accessToken;
            Prompts = prompts;
            Show = show;
        }

        /// <summary>The Graph endpoint, e.g. https://graph.microsoft.com (national clouds differ); tokens are asked for &lt;endpoint&gt;/.default.</summary>
        public Uri Endpoint { get; }
        public Azure.Core.TokenCredential? Credential { get; }
        /// <summary>A token obtained elsewhere (-GraphAccessToken); wins over <see cref="Credential"/>.</summary>
        public System.Security.SecureString? AccessToken { get; }
        /// <summary>Sign-in prompts (device code) the credential posts from any thread while a request waits for a token.</summary>
        public SignInPrompts? Prompts { get; }
        /// <summary>Shows a prompt to the user; called on the caller's thread only.</summary>
        public Action<string>? Show { get; }
    }

    /// <summary>
    /// Messages a credential must show while it signs in (the device-code prompt). The credential posts them from
    /// whatever thread it runs on; the command that waits for it shows them on its own thread (PowerShell's
    /// streams may only be written from the pipeline thread).
    /// </summary>
    public sealed class SignInPrompts
    {
        readonly System.Collections.Concurrent.ConcurrentQueue<string> _pending = new System.Collections.Concurrent.ConcurrentQueue<string>();

        public void Post(string message) => _pending.Enqueue(message);

        /// <summary>Shows every pending prompt through <paramref name="show"/> (on the caller's thread).</summary>
        public void Drain(Action<string>? show)
        {
            while (_pending.TryDequeue(out var message)) show?.Invoke(message);
        }

        /// <summary>Waits for <paramref name="task"/> on the caller's thread, showing prompts as they come.</summary>
        public static T Wait<T>(System.Threading.Tasks.Task<T> task, SignInPrompts? prompts, Action<string>? show)
        {
            if (prompts is null) return task.GetAwaiter().GetResult();
            while (!task.IsCompleted)
            {
                ((IAsyncResult)task).AsyncWaitHandle.WaitOne(100);
                prompts.Drain(show);
            }
            prompts.Drain(show);
            return task.GetAwaiter().GetResult();
        }
    }
}
