using System;

namespace RootMail
{
    /// <summary>A shared mailbox in a pool, carrying up to <see cref="Capacity"/> root aliases.</summary>
    public sealed class AwsRootMailbox
    {
        public AwsRootMailbox(string name, string primarySmtpAddress, string pool, int capacity, int used, int otherProxyAddresses,
            string? forwardingAddress, DateTimeOffset? createdAt)
        {
            Name = name;
            PrimarySmtpAddress = primarySmtpAddress;
            Pool = pool;
            Capacity = capacity;
            Used = used;
            OtherProxyAddresses = otherProxyAddresses;
            ForwardingAddress = forwardingAddress;
            CreatedAt = createdAt;
        }

        public string Name { get; }
        public string PrimarySmtpAddress { get; }
        /// <summary>The most root aliases this mailbox may carry (the pool's MailboxCapacity unless set for the mailbox).</summary>
        public int Capacity { get; }
        /// <summary>Root aliases on the mailbox, retired ones included (their addresses stay), and unfinished reservations.</summary>
        public int Used { get; }
        /// <summary>Aliases that can still be added: the smaller of Capacity and what fits under Exchange's 400 proxy addresses, less Used.</summary>
        public int Free => Math.Max(0, EffectiveCapacity - Used);
        /// <summary>Proxy addresses on the mailbox that are not root aliases (its primary, its onmicrosoft.com address, ...).</summary>
        public int OtherProxyAddresses { get; }
        public int EffectiveCapacity => Capacity.Clamp(0, Rules.Limits.ExchangeProxyAddressLimit - OtherProxyAddresses);
        public string Pool { get; }
        public string? ForwardingAddress { get; }
        public DateTimeOffset? CreatedAt { get; }

        public override string ToString() => PrimarySmtpAddress;
    }

    internal static class IntExtensions
    {
        public static int Clamp(this int value, int min, int max) => value < min ? min : value > max ? Math.Max(min, max) : value;
    }
}
