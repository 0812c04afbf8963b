using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Azure;
using Azure.Data.Tables;

namespace RootMail.Registry
{
    /// <summary>Common key and concurrency fields of every registry row.</summary>
    internal abstract class RowBase : ITableEntity
    {
        public string PartitionKey { get; set; } = Keys.Partition;
        public string RowKey { get; set; } = "";
        public DateTimeOffset? Timestamp { get; set; }
        public ETag ETag { get; set; }
    }

    /// <summary>Row "meta": the schema version of the registry.</summary>
    internal sealed class MetaRow : RowBase
    {
        public int SchemaVersion { get; set; }
        public DateTimeOffset? CreatedAt { get; set; }
    }

    /// <summary>Row "pool|&lt;pool&gt;": a pool's settings.</summary>
    internal sealed class PoolRow : RowBase
    {
        public string Name { get; set; } = "";
        public string Domain { get; set; } = "";
        public string AddressTemplate { get; set; } = "";
        public int MailboxCapacity { get; set; }
        public string? ForwardingAddress { get; set; }
        public string MailboxNamePrefix { get; set; } = "";
        public DateTimeOffset? CreatedAt { get; set; }

        public AwsRootPool ToPool() => new AwsRootPool(Name, Domain, AddressTemplate, MailboxCapacity, string.IsNullOrEmpty(ForwardingAddress) ? null : ForwardingAddress, MailboxNamePrefix);
    }

    /// <summary>Row "mbx|&lt;primary smtp&gt;": a pool mailbox and its usage counter, guarded by its ETag.</summary>
    internal sealed class MailboxRow : RowBase
    {
        public string Name { get; set; } = "";
        public string PrimarySmtpAddress { get; set; } = "";
        public string Pool { get; set; } = "";
        /// <summary>Set for this mailbox only; null: the pool's MailboxCapacity.</summary>
        public int? Capacity { get; set; }
        /// <summary>Alias rows on this mailbox (every status, reserved and retired included, except retired ones whose address was removed).</summary>
        public int Used { get; set; }
        /// <summary>Proxy addresses of the mailbox that are not root aliases.</summary>
        public int OtherProxies { get; set; }
        public string? ForwardingAddress { get; set; }
        public DateTimeOffset? CreatedAt { get; set; }
        /// <summary>How the mailbox joined the pool: Created, Adopted or Imported (null: Created, before this was recorded).
        /// On an imported mailbox an address the registry does not know may belong to an AWS account, so Sync never adopts it.</summary>
        public string? Origin { get; set; }

        public int CapacityIn(PoolRow pool) => Capacity ?? pool.MailboxCapacity;
        public int FreeIn(PoolRow pool) => ToMailbox(pool).Free;

        public AwsRootMailbox ToMailbox(PoolRow pool)
            => new AwsRootMailbox(Name, PrimarySmtpAddress, Pool, CapacityIn(pool), Used, OtherProxies, ForwardingAddress, CreatedAt);
    }

    /// <summary>
    /// Row "alias|&lt;address&gt;": the alias itself (its key makes the address unique). The same shape also serves as
    /// row "avail|&lt;pool&gt;|&lt;mailbox&gt;|&lt;address&gt;", a full copy that exists exactly while the alias is Available,
    /// row "acct|&lt;account id&gt;", a full copy that exists exactly while the alias is Registered (its key makes the
    /// binding unique), and row "req|&lt;requester&gt;|&lt;address&gt;", a full copy rewritten with the alias row in every
    /// transaction while it has a requester.
    /// </summary>
    internal sealed class AliasRow : RowBase
    {
        public string Address { get; set; } = "";
        public string Pool { get; set; } = "";
        public string Mailbox { get; set; } = "";
        public string Status { get; set; } = "";
        public string? AccountId { get; set; }
        public string? AccountName { get; set; }
        public string? RequestedBy { get; set; }
        public DateTimeOffset? CreatedAt { get; set; }
        public DateTimeOffset? ReservedAt { get; set; }
        public DateTimeOffset? AssignedAt { get; set; }
        public DateTimeOffset? RegisteredAt { get; set; }
        public DateTimeOffset? RetiredAt { get; set; }
        /// <summary>What a Reserved row is waiting for: "HandOut" or "Provision"; for a Retired row, "RemoveAddress" while its proxy is being removed.</summary>
        public string? Pending { get; set; }
        public bool AddressRemoved { get; set; }
        /// <summary>On an availability row only: the alias is listed in one of its pool's claim windows. Never copied.</summary>
        public bool Queued { get; set; }

        public AliasStatus StatusValue => (AliasStatus)Enum.Parse(typeof(AliasStatus), Status);

        public AwsRootAlias ToAlias() => new AwsRootAlias(Address, StatusValue, Pool, Mailbox, AccountId, AccountName, RequestedBy,
            CreatedAt, AssignedAt, RegisteredAt, RetiredAt, AddressRemoved);

        public AliasRow Copy(string rowKey) => new AliasRow
        {
            RowKey = rowKey, Address = Address, Pool = Pool, Mailbox = Mailbox, Status = Status, AccountId = AccountId,
            AccountName = AccountName, RequestedBy = RequestedBy, CreatedAt = CreatedAt, ReservedAt = ReservedAt, AssignedAt = AssignedAt,
            RegisteredAt = RegisteredAt, RetiredAt = RetiredAt, Pending = Pending, AddressRemoved = AddressRemoved,
        };
    }

    /// <summary>
    /// Row "ready|&lt;pool&gt;|&lt;nn&gt;": a claim window, a short list of Available aliases (address, mailbox, creation time)
    /// so a hand-out finds one by a point read instead of a query. Only a hint: the availability row of an alias is
    /// what a claim deletes, so an entry whose alias was taken another way is merely skipped. Absent while empty.
    /// </summary>
    internal sealed class WindowRow : RowBase
    {
        public string Entries { get; set; } = "";

        public List<WindowEntry> Parse()
            => Entries.Split(new[] { '\n' }, StringSplitOptions.RemoveEmptyEntries).Select(WindowEntry.Parse).ToList();

        public static string Format(IEnumerable<WindowEntry> entries) => string.Join("\n", entries.Select(e => e.ToString()));
    }

    /// <summary>One Available alias in a claim window: enough to hand it out and show it without reading its row.</summary>
    internal sealed class WindowEntry
    {
        public WindowEntry(string address, string mailbox, DateTimeOffset? createdAt)
        {
            Address = address;
            Mailbox = mailbox;
            CreatedAt = createdAt;
        }

        public string Address { get; }
        public string Mailbox { get; }
        public DateTimeOffset? CreatedAt { get; }

        public static WindowEntry From(AliasRow row) => new WindowEntry(row.Address, row.Mailbox, row.CreatedAt);

        public static WindowEntry Parse(string line)
        {
            var f = line.Split('\t');
            long ticks = f.Length > 2 ? long.Parse(f[2], CultureInfo.InvariantCulture) : 0;
            return new WindowEntry(f[0], f[1], ticks == 0 ? (DateTimeOffset?)null : new DateTimeOffset(ticks, TimeSpan.Zero));
        }

        public override string ToString()
            => Address + "\t" + Mailbox + "\t" + (CreatedAt?.UtcTicks ?? 0).ToString(CultureInfo.InvariantCulture);
    }
}
