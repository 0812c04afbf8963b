using System;

namespace RootMail
{
    /// <summary>One AWS root-user address: a secondary SMTP alias on a pool mailbox.</summary>
    public sealed class AwsRootAlias
    {
        public AwsRootAlias(string address, AliasStatus status, string pool, string mailbox,
            string? accountId, string? accountName, string? requestedBy,
            DateTimeOffset? createdAt, DateTimeOffset? assignedAt, DateTimeOffset? registeredAt, DateTimeOffset? retiredAt,
            bool addressRemoved)
        {
            Address = address;
            Status = status;
            Pool = pool;
            Mailbox = mailbox;
            AccountId = accountId;
            AccountName = accountName;
            RequestedBy = requestedBy;
            CreatedAt = createdAt;
            AssignedAt = assignedAt;
            RegisteredAt = registeredAt;
            RetiredAt = retiredAt;
            AddressRemoved = addressRemoved;
        }

        /// <summary>The address, lowercase, at most 64 characters.</summary>
        public string Address { get; }
        public AliasStatus Status { get; }
        /// <summary>The primary SMTP address of the pool mailbox that receives this alias.</summary>
        public string Mailbox { get; }
        /// <summary>The 12-digit AWS account ID, as a string (leading zeros are real).</summary>
        public string? AccountId { get; }
        public string? AccountName { get; }
        public string? RequestedBy { get; }
        public string Pool { get; }
        public DateTimeOffset? CreatedAt { get; }
        public DateTimeOffset? AssignedAt { get; }
        public DateTimeOffset? RegisteredAt { get; }
        public DateTimeOffset? RetiredAt { get; }
        /// <summary>True once a retired alias's proxy address was removed from its mailbox (Remove-AwsRootAlias -RemoveAddress).</summary>
        public bool AddressRemoved { get; }

        public override string ToString() => Address;
    }
}
