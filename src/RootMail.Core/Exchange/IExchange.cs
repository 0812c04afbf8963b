using System;
using System.Collections.Generic;

namespace RootMail.Exchange
{
    /// <summary>
    /// The port through which the core reaches Exchange Online. The production adapter runs the caller's
    /// session commands (Get-Mailbox, New-Mailbox, Set-Mailbox, Get-Recipient, Add-MailboxPermission) and
    /// nothing else; failures come back as the exceptions below.
    /// </summary>
    public interface IExchange
    {
        /// <summary>Fails with RootMail.ExchangeNotConnected when the session lacks the commands, before anything is written.</summary>
        void EnsureAvailable();

        /// <summary>Get-Mailbox -Identity; null when Exchange has no such mailbox.</summary>
        ExchangeMailbox? GetMailbox(string identity);

        /// <summary>New-Mailbox -Shared -Name -DisplayName -Alias -PrimarySmtpAddress.</summary>
        ExchangeMailbox NewSharedMailbox(string name, string displayName, string alias, string primarySmtpAddress);

        /// <summary>Set-Mailbox -Identity -EmailAddresses @{Add=...}: adds secondary addresses in one call.</summary>
        void AddAddresses(string identity, IReadOnlyList<string> addresses);

        /// <summary>Set-Mailbox -Identity -EmailAddresses @{Remove=...}.</summary>
        void RemoveAddresses(string identity, IReadOnlyList<string> addresses);

        /// <summary>Set-Mailbox with the pool settings: hidden from address lists, forwarding, CustomAttribute1.</summary>
        void ConfigurePoolMailbox(string identity, PoolMailboxSettings settings);

        /// <summary>Get-Recipient -Filter "EmailAddresses -eq 'smtp:x'": the recipient holding the address, or null.</summary>
        ExchangeRecipient? FindRecipientByAddress(string address);
    }

    public sealed class PoolMailboxSettings
    {
        public PoolMailboxSettings(string? forwardingSmtpAddress, string customAttribute1)
        {
            ForwardingSmtpAddress = forwardingSmtpAddress;
            CustomAttribute1 = customAttribute1;
        }

        public string? ForwardingSmtpAddress { get; }
        /// <summary>"RootMail:&lt;pool&gt;": lets Exchange RBAC for Applications scope Graph access to the pool's mailboxes.</summary>
        public string CustomAttribute1 { get; }
    }

    public sealed class ExchangeMailbox
    {
        public ExchangeMailbox(string name, string primarySmtpAddress, string recipientTypeDetails, IReadOnlyList<string> emailAddresses)
        {
            Name = name;
            PrimarySmtpAddress = primarySmtpAddress.ToLowerInvariant();
            RecipientTypeDetails = recipientTypeDetails;
            EmailAddresses = emailAddresses;
        }

        public string Name { get; }
        public string PrimarySmtpAddress { get; }
        public string RecipientTypeDetails { get; }
        /// <summary>As Exchange returns them: "SMTP:" marks the primary, "smtp:" a secondary; other types (X500:, SIP:) too.</summary>
        public IReadOnlyList<string> EmailAddresses { get; }

        /// <summary>The secondary SMTP addresses, lowercased, without prefix.</summary>
        public IEnumerable<string> SecondarySmtpAddresses()
        {
            foreach (var proxy in EmailAddresses)
                if (proxy.StartsWith("smtp:", StringComparison.Ordinal)) yield return proxy.Substring(5).ToLowerInvariant();
        }
    }

    public sealed class ExchangeRecipient
    {
        public ExchangeRecipient(string name, string primarySmtpAddress, string recipientTypeDetails)
        {
            Name = name;
            PrimarySmtpAddress = primarySmtpAddress.ToLowerInvariant();
            RecipientTypeDetails = recipientTypeDetails;
        }

        public string Name { get; }
        public string PrimarySmtpAddress { get; }
        public string RecipientTypeDetails { get; }
    }

    /// <summary>An Exchange command failed; the message is Exchange's own text.</summary>
    public class ExchangeCommandException : Exception
    {
        public ExchangeCommandException(string command, string message, Exception? inner = null) : base(message, inner) { Command = command; }
        public string Command { get; }
    }

    /// <summary>Exchange says an address is already used by some recipient in the tenant.</summary>
    public sealed class ExchangeAddressInUseException : ExchangeCommandException
    {
        public ExchangeAddressInUseException(string command, string address, string message, Exception? inner = null) : base(command, message, inner) { Address = address; }
        public string Address { get; }
    }

    /// <summary>Exchange could not find the object.</summary>
    public sealed class ExchangeObjectNotFoundException : ExchangeCommandException
    {
        public ExchangeObjectNotFoundException(string command, string message, Exception? inner = null) : base(command, message, inner) { }
    }

    /// <summary>Exchange refused because the recipient would pass its proxy address limit.</summary>
    public sealed class ExchangeProxyLimitException : ExchangeCommandException
    {
        public ExchangeProxyLimitException(string command, string message, Exception? inner = null) : base(command, message, inner) { }
    }

    /// <summary>A failure worth trying again: a server error, a time-out or throttling.</summary>
    public sealed class ExchangeTransientException : ExchangeCommandException
    {
        public ExchangeTransientException(string command, string message, System.TimeSpan? retryAfter, Exception? inner = null) : base(command, message, inner) { RetryAfter = retryAfter; }
        /// <summary>How long Exchange asked to wait, when it said.</summary>
        public System.TimeSpan? RetryAfter { get; }
    }

    /// <summary>The Exchange commands are not in the session (Connect-ExchangeOnline was not run).</summary>
    public sealed class ExchangeNotConnectedException : ExchangeCommandException
    {
        public ExchangeNotConnectedException(string command, string message) : base(command, message) { }
    }
}
