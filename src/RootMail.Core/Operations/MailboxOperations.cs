using System;
using System.Collections.Generic;
using System.Linq;
using RootMail.Exchange;
using RootMail.Registry;
using RootMail.Rules;

namespace RootMail.Operations
{
    public sealed class MailboxOperations : OperationsBase
    {
        public MailboxOperations(RegistrySession session, IOperationHost host, Func<IExchange> exchange) : base(session, host, exchange) { }

        /// <summary>
        /// Creates a shared mailbox in Exchange, hides it, points its forwarding at the pool's main mailbox, tags it
        /// (CustomAttribute1 = RootMail:&lt;pool&gt;) and records it. Exchange first, registry last: a run cut short leaves
        /// a mailbox that -Adopt takes in.
        /// </summary>
        public AwsRootMailbox? New(string poolName, string? name, string? displayName, string? primarySmtpAddress, int? capacity)
        {
            var pool = Validate.PoolName(poolName);
            if (name != null) Validate.MailboxName("Name", name);
            if (displayName != null && (displayName.Length == 0 || displayName.Length > 256 || displayName.Any(char.IsControl)))
                throw new RootMailException("RootMail.InvalidDisplayName", "-DisplayName must be 1 to 256 characters without control characters.", ErrorKind.InvalidArgument, displayName);
            var primary = primarySmtpAddress is null ? null : Validate.Email("PrimarySmtpAddress", primarySmtpAddress);
            var cap = capacity is int c ? Validate.Capacity("Capacity", c) : (int?)null;
            var poolRow = ReadPool(pool);

            if (name is null)
            {
                var taken = new HashSet<string>(ReadMailboxes(pool).Select(m => m.Name), StringComparer.OrdinalIgnoreCase);
                int n = 1;
                while (taken.Contains(NumberedName(poolRow, n))) n++;
                name = NumberedName(poolRow, n);
            }
            var alias = ExchangeAlias(name);
            primary ??= alias.ToLowerInvariant() + "@" + poolRow.Domain;
            var existing = Registry.Get<MailboxRow>(Keys.Mailbox(primary), Cancel);
            if (existing != null) throw Errors.MailboxAlreadyRegistered(primary, existing.Pool);

            if (!Host.ShouldProcess(name, $"Create shared mailbox {primary} in pool '{pool}'" + (poolRow.ForwardingAddress is null ? "" : $", forwarding to {poolRow.ForwardingAddress}")))
                return null;
            Host.Verbose($"Creating shared mailbox '{name}' <{primary}> in Exchange.");
            var created = InExchange(name, () => Exchange.NewSharedMailbox(name, displayName ?? name, alias, primary));
            InExchange(name, () => Exchange.ConfigurePoolMailbox(created.PrimarySmtpAddress, new PoolMailboxSettings(poolRow.ForwardingAddress, PoolAttribute(pool))));
            var row = new MailboxRow
            {
                RowKey = Keys.Mailbox(created.PrimarySmtpAddress), Name = created.Name, PrimarySmtpAddress = created.PrimarySmtpAddress, Pool = pool,
                Capacity = cap, Used = 0, OtherProxies = created.EmailAddresses.Count, ForwardingAddress = poolRow.ForwardingAddress, CreatedAt = Now, Origin = "Created",
            };
            Registry.Insert(row, Cancel);
            Host.Verbose($"Recorded mailbox '{name}' in pool '{pool}'.");
            return row.ToMailbox(poolRow);
        }

        /// <summary>
        /// Takes an existing shared mailbox into the pool with every alias in the pool's domain that it already carries.
        /// Aliases the registry does not know yet come in as Available. Safe to run again after an interruption.
        /// </summary>
        public AwsRootMailbox? Adopt(string poolName, string identity, int? capacity)
        {
            var pool = Validate.PoolName(poolName);
            var id = Validate.MailboxIdentity("Identity", identity);
            var cap = capacity is int c ? Validate.Capacity("Capacity", c) : (int?)null;
            var poolRow = ReadPool(pool);
            var mailbox = InExchange(id, () => Exchange.GetMailbox(id)) ?? throw Errors.ExchangeMailboxNotFound(id);
            if (!string.Equals(mailbox.RecipientTypeDetails, "SharedMailbox", StringComparison.OrdinalIgnoreCase))
                throw Errors.NotASharedMailbox(id, mailbox.RecipientTypeDetails);
            var existing = Registry.Get<MailboxRow>(Keys.Mailbox(mailbox.PrimarySmtpAddress), Cancel);
            if (existing != null) throw Errors.MailboxAlreadyRegistered(mailbox.PrimarySmtpAddress, existing.Pool);

            var aliases = mailbox.SecondarySmtpAddresses()
                .Where(a => Validate.IsAliasAddress(a) && Validate.DomainOf(a) == poolRow.Domain && a != mailbox.PrimarySmtpAddress)
                .Distinct().ToList();
            if (!Host.ShouldProcess(mailbox.Name, $"Adopt shared mailbox {mailbox.PrimarySmtpAddress} into pool '{pool}' with its {aliases.Count} aliases in {poolRow.Domain}"))
                return null;

            InExchange(mailbox.Name, () => Exchange.ConfigurePoolMailbox(mailbox.PrimarySmtpAddress, new PoolMailboxSettings(poolRow.ForwardingAddress, PoolAttribute(pool))));
            int adopted = 0, skipped = 0;
            var fresh = new List<AliasRow>();
            foreach (var address in aliases)
            {
                var known = ReadAlias(address);
                if (known is null) { fresh.Add(NewAvailable(address, pool, mailbox.PrimarySmtpAddress)); continue; }
                if (known.Mailbox == mailbox.PrimarySmtpAddress && known.Pool == pool) { adopted++; continue; }
                skipped++;
                Host.Warning($"'{address}' is on {mailbox.PrimarySmtpAddress} in Exchange but the registry records it on {known.Mailbox} (pool '{known.Pool}'); it was left as it is.");
            }
            int done = 0;
            foreach (var chunk in Chunks(fresh, MaxTransactionActions / 2))
            {
                var actions = new List<Azure.Data.Tables.TableTransactionAction>();
                foreach (var row in chunk) { actions.Add(Insert(row)); actions.Add(Insert(row.Copy(Keys.Available(pool, row.Mailbox, row.Address)))); }
                Registry.Submit(actions, Cancel);
                done += chunk.Count;
                Host.Progress("Adopting " + mailbox.Name, $"{done} of {fresh.Count} aliases recorded", fresh.Count == 0 ? 100 : done * 100 / fresh.Count);
            }
            Host.Progress("Adopting " + mailbox.Name, "done", 100, completed: true);
            adopted += fresh.Count;
            var mailboxRow = new MailboxRow
            {
                RowKey = Keys.Mailbox(mailbox.PrimarySmtpAddress), Name = mailbox.Name, PrimarySmtpAddress = mailbox.PrimarySmtpAddress, Pool = pool,
                Capacity = cap, Used = adopted, OtherProxies = mailbox.EmailAddresses.Count - adopted, ForwardingAddress = poolRow.ForwardingAddress, CreatedAt = Now, Origin = "Adopted",
            };
            Registry.Insert(mailboxRow, Cancel);
            var result = mailboxRow.ToMailbox(poolRow);
            Host.Verbose($"Adopted mailbox '{mailbox.Name}' into pool '{pool}' with {adopted} aliases ({fresh.Count} new to the registry).");
            if (adopted > result.Capacity)
                Host.Warning($"Mailbox '{mailbox.Name}' carries {adopted} aliases, more than its capacity of {result.Capacity}; no new alias will be added to it.");
            return result;
        }

        /// <summary>The pool's mailboxes, or one by name or address.</summary>
        public IEnumerable<AwsRootMailbox> Get(string poolName, string? identity)
        {
            var pool = Validate.PoolName(poolName);
            var id = identity is null ? null : Validate.MailboxIdentity("Identity", identity);
            var poolRow = ReadPool(pool);
            if (id != null) return new[] { ResolveMailbox(pool, id).ToMailbox(poolRow) };
            return ReadMailboxes(pool).Select(m => m.ToMailbox(poolRow));
        }

        /// <summary>The mailbox that receives an alias, found by address or by AWS account ID.</summary>
        public AwsRootMailbox GetByAlias(string poolName, string? address, string? accountId)
        {
            var pool = Validate.PoolName(poolName);
            var alias = address != null ? ResolveAlias(pool, Validate.AliasAddress(address)) : FindAccount(pool, Validate.AccountId(accountId));
            var row = Registry.Get<MailboxRow>(Keys.Mailbox(alias.Mailbox), Cancel) ?? throw Errors.MailboxNotFound(alias.Mailbox, pool);
            return row.ToMailbox(ReadPool(pool));
        }

        static T InExchange<T>(string target, Func<T> call)
        {
            try { return call(); }
            catch (ExchangeCommandException ex) { throw Errors.ExchangeFailed(ex.Command, target, ex.Message, ex); }
        }

        static void InExchange(string target, Action call) => InExchange(target, () => { call(); return 0; });

        internal static AliasRow NewAvailable(string address, string pool, string mailbox) => new AliasRow
        {
            RowKey = Keys.Alias(address), Address = address, Pool = pool, Mailbox = mailbox, Status = nameof(AliasStatus.Available), CreatedAt = DateTimeOffset.UtcNow,
        };

        static string NumberedName(PoolRow pool, int n) => pool.MailboxNamePrefix + n.ToString("000");

        /// <summary>An Exchange alias from a mailbox name: letters, digits, '.', '-', '_'; no leading or trailing dot.</summary>
        static string ExchangeAlias(string name)
        {
            var chars = name.Select(ch => char.IsLetterOrDigit(ch) && ch < 128 || ch == '.' || ch == '-' || ch == '_' ? ch : '-').ToArray();
            return new string(chars).Trim('.', '-');
        }
    }
}
