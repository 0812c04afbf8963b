using System;
using System.Collections.Generic;
using System.Globalization;

namespace RootMail.Exchange
{
    /// <summary>
    /// Retries Exchange calls that failed transiently (server errors, time-outs, throttling) with exponential back-off
    /// and a limit, honouring Exchange's "retry after". Every call RootMail makes is safe to repeat: adding an address
    /// a mailbox already has, or removing one it no longer has, changes nothing. New-Mailbox is the exception, so a
    /// repeat first looks for the mailbox an earlier, timed-out attempt may have created.
    /// </summary>
    public sealed class ResilientExchange : IExchange
    {
        /// <summary>Overrides every back-off delay, in milliseconds (for tests and rehearsals).</summary>
        public const string DelayVariable = "ROOTMAIL_EXCHANGE_RETRY_DELAY_MS";
        public const int MaxAttempts = 5;
        static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);
        static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(60);

        readonly IExchange _inner;
        readonly IOperationHost _host;

        public ResilientExchange(IExchange inner, IOperationHost host)
        {
            _inner = inner;
            _host = host;
        }

        public void EnsureAvailable() => _inner.EnsureAvailable();
        public ExchangeMailbox? GetMailbox(string identity) => Call("Get-Mailbox", identity, () => _inner.GetMailbox(identity));
        public void AddAddresses(string identity, IReadOnlyList<string> addresses) => Call("Set-Mailbox", identity, () => { _inner.AddAddresses(identity, addresses); return 0; });
        public void RemoveAddresses(string identity, IReadOnlyList<string> addresses) => Call("Set-Mailbox", identity, () => { _inner.RemoveAddresses(identity, addresses); return 0; });
        public void ConfigurePoolMailbox(string identity, PoolMailboxSettings settings) => Call("Set-Mailbox", identity, () => { _inner.ConfigurePoolMailbox(identity, settings); return 0; });
        public ExchangeRecipient? FindRecipientByAddress(string address) => Call("Get-Recipient", address, () => _inner.FindRecipientByAddress(address));

        public ExchangeMailbox NewSharedMailbox(string name, string displayName, string alias, string primarySmtpAddress)
        {
            bool repeated = false;
            return Call("New-Mailbox", name, () =>
            {
                if (repeated)
                {
                    var earlier = _inner.GetMailbox(primarySmtpAddress);
                    if (earlier != null && string.Equals(earlier.Name, name, StringComparison.OrdinalIgnoreCase)) return earlier;
                }
                repeated = true;
                return _inner.NewSharedMailbox(name, displayName, alias, primarySmtpAddress);
            });
        }

        T Call<T>(string command, string target, Func<T> call)
        {
            for (int attempt = 1; ; attempt++)
            {
                try { return call(); }
                catch (ExchangeTransientException ex) when (attempt < MaxAttempts)
                {
                    var wait = Delay(attempt, ex.RetryAfter);
                    _host.Verbose($"Exchange: {command} for '{target}' failed ({FirstLine(ex.Message)}); attempt {attempt + 1} of {MaxAttempts} in {wait.TotalSeconds:0.#} s.");
                    if (_host.Cancellation.WaitHandle.WaitOne(wait)) _host.Cancellation.ThrowIfCancellationRequested();
                }
            }
        }

        static TimeSpan Delay(int attempt, TimeSpan? retryAfter)
        {
            var configured = Environment.GetEnvironmentVariable(DelayVariable);
            if (int.TryParse(configured, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) && ms >= 0) return TimeSpan.FromMilliseconds(ms);
            var backoff = TimeSpan.FromTicks(FirstDelay.Ticks << Math.Min(attempt - 1, 6));
            var wait = retryAfter.HasValue && retryAfter.Value > backoff ? retryAfter.Value : backoff;
            return wait > MaxDelay ? MaxDelay : wait;
        }

        static string FirstLine(string message) => message.Split('\n')[0].Trim();
    }
}
