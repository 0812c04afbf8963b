using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Azure;
using Azure.Data.Tables;
using RootMail.Exchange;
using RootMail.Registry;
using RootMail.Rules;

namespace RootMail.Operations
{
    /// <summary>What every operation shares: the registry session, the host, lazy Exchange, reads and optimistic retries.</summary>
    public abstract class OperationsBase
    {
        /// <summary>How often a conditional write that lost a race is tried again before RootMail.RegistryBusy.</summary>
        protected const int MaxAttempts = 40;
        /// <summary>Rows per entity-group transaction (Azure Tables allows 100 actions).</summary>
        protected const int MaxTransactionActions = 100;

        readonly Func<IExchange> _exchangeFactory;
        IExchange? _exchange;
        readonly Random _random = new Random(Guid.NewGuid().GetHashCode());

        protected OperationsBase(RegistrySession session, IOperationHost host, Func<IExchange> exchange)
        {
            Session = session ?? throw Errors.RegistryNotConnected();
            Host = host;
            _exchangeFactory = exchange;
        }

        protected RegistrySession Session { get; }
        internal TableRegistry Registry => Session.Registry;
        protected IOperationHost Host { get; }
        protected CancellationToken Cancel => Host.Cancellation;
        /// <summary>Exchange is resolved on first use only: claiming a pre-provisioned alias never touches it.</summary>
        protected IExchange Exchange => _exchange ??= new ResilientExchange(_exchangeFactory(), Host);

        protected int NextRandom(int max) { lock (_random) return _random.Next(max); }

        internal PoolRow ReadPool(string pool) => Registry.Get<PoolRow>(Keys.Pool(pool), Cancel) ?? throw Errors.PoolNotFound(pool);

        internal List<MailboxRow> ReadMailboxes(string pool)
            => Registry.Query<MailboxRow>(Keys.MailboxPrefix, TableRegistry.Filter($"Pool eq {pool}"), null, Cancel)
                .OrderBy(m => m.Name, StringComparer.OrdinalIgnoreCase).ToList();

        /// <summary>A pool mailbox by primary SMTP address (one point read) or by name.</summary>
        internal MailboxRow ResolveMailbox(string pool, string identity)
        {
            MailboxRow? row;
            if (identity.IndexOf('@') >= 0) row = Registry.Get<MailboxRow>(Keys.Mailbox(identity), Cancel);
            else row = ReadMailboxes(pool).FirstOrDefault(m => string.Equals(m.Name, identity, StringComparison.OrdinalIgnoreCase));
            if (row is null || row.Pool != pool) throw Errors.MailboxNotFound(identity, pool);
            return row;
        }

        internal AliasRow? ReadAlias(string address) => Registry.Get<AliasRow>(Keys.Alias(address), Cancel);

        /// <summary>The alias of an address in a pool, or RootMail.AliasNotFound.</summary>
        internal AliasRow ResolveAlias(string pool, string address)
        {
            var row = ReadAlias(address);
            if (row is null)
            {
                // Only on the miss path, so a hit stays one round trip: say so when the address cannot be in this pool at all.
                var domain = Registry.Get<PoolRow>(Keys.Pool(pool), Cancel)?.Domain;
                if (domain != null) Validate.AliasAddress(address, pool, domain);
                throw Errors.AliasNotFound($"'{address}'", pool);
            }
            if (row.Pool != pool) throw Errors.AliasInOtherPool(address, pool, row.Pool);
            return row;
        }

        /// <summary>The alias row bound to an AWS account in a pool, to change it (two reads), or RootMail.AliasNotFound.</summary>
        internal AliasRow ResolveAccount(string pool, string accountId) => FindAccount(pool, accountId, forWriting: true);

        /// <summary>
        /// The alias bound to an AWS account in a pool, to show it, or RootMail.AliasNotFound. One point read: the binding
        /// row is a copy of the alias, written with it at registration and deleted with the binding, and a Registered
        /// alias does not change in between. To change the alias, <see cref="ResolveAccount"/> reads the alias row itself.
        /// </summary>
        internal AliasRow FindAccount(string pool, string accountId, bool forWriting = false)
        {
            var binding = Registry.Get<AliasRow>(Keys.Account(accountId), Cancel) ?? throw Errors.AliasNotFound($"registered to AWS account {accountId}", pool);
            // A binding written before bindings held a copy has only AccountId and Address.
            var row = !forWriting && binding.Status.Length > 0 ? binding
                : ReadAlias(binding.Address) ?? throw Errors.AliasNotFound($"registered to AWS account {accountId}", pool);
            if (row.Pool != pool) throw Errors.AliasInOtherPool(row.Address, pool, row.Pool);
            return row;
        }

        /// <summary>Runs an optimistic attempt until it returns true; a lost race waits a little (with jitter) and tries again.</summary>
        protected void Retry(string what, Func<bool> attempt)
        {
            for (int i = 0; i < MaxAttempts; i++)
            {
                Cancel.ThrowIfCancellationRequested();
                try
                {
                    if (attempt()) return;
                }
                catch (RegistryConflictException)
                {
                }
                Backoff(i);
            }
            throw Errors.RegistryBusy(what);
        }

        protected void Backoff(int attempt)
        {
            int ceiling = Math.Min(400, 10 << Math.Min(attempt, 6));
            Cancel.WaitHandle.WaitOne(NextRandom(ceiling) + 1);
            Cancel.ThrowIfCancellationRequested();
        }

        /// <summary>Changes a mailbox's usage counter under its ETag, re-reading it after a lost race.</summary>
        internal void AdjustUsed(string mailboxAddress, int delta, IEnumerable<TableTransactionAction>? with = null)
        {
            var extra = with?.ToList() ?? new List<TableTransactionAction>();
            Retry("updating the usage of " + mailboxAddress, () =>
            {
                var row = Registry.Get<MailboxRow>(Keys.Mailbox(mailboxAddress), Cancel);
                if (row is null) { Registry.Submit(extra, Cancel); return true; }
                row.Used = Math.Max(0, row.Used + delta);
                var actions = new List<TableTransactionAction> { new TableTransactionAction(TableTransactionActionType.UpdateReplace, row, row.ETag) };
                actions.AddRange(extra);
                Registry.Submit(actions, Cancel);
                return true;
            });
        }

        protected static TableTransactionAction Insert(ITableEntity row) => new TableTransactionAction(TableTransactionActionType.Add, row);
        protected static TableTransactionAction Replace(ITableEntity row, ETag etag) => new TableTransactionAction(TableTransactionActionType.UpdateReplace, row, etag);
        protected static TableTransactionAction Upsert(ITableEntity row) => new TableTransactionAction(TableTransactionActionType.UpsertReplace, row);
        protected static TableTransactionAction Delete(ITableEntity row, ETag etag) => new TableTransactionAction(TableTransactionActionType.Delete, row, etag);

        protected static DateTimeOffset Now => DateTimeOffset.UtcNow;

        /// <summary>The account binding of a Registered alias: a full copy, so a lookup by account is one point read.</summary>
        internal static AliasRow AccountCopy(AliasRow alias) => alias.Copy(Keys.Account(alias.AccountId!));

        /// <summary>The requester index row of an alias: a full copy, so a lookup by requester is one key range and nothing more.</summary>
        internal static AliasRow RequesterCopy(AliasRow alias) => alias.Copy(Keys.Requester(alias.RequestedBy!, alias.Address));

        /// <summary>
        /// The actions that rewrite an alias row, plus the upsert that keeps its requester copy equal to it (when it has a
        /// requester), so both change in the same transaction.
        /// </summary>
        internal static TableTransactionAction[] WithRequesterCopy(AliasRow alias, params TableTransactionAction[] actions)
            => alias.RequestedBy is null ? actions : actions.Concat(new[] { Upsert(RequesterCopy(alias)) }).ToArray();

        protected static string PoolAttribute(string pool) => "RootMail:" + pool;

        /// <summary>Splits work into chunks that fit one transaction.</summary>
        protected static IEnumerable<List<T>> Chunks<T>(IEnumerable<T> items, int size)
        {
            var chunk = new List<T>(size);
            foreach (var item in items)
            {
                chunk.Add(item);
                if (chunk.Count == size) { yield return chunk; chunk = new List<T>(size); }
            }
            if (chunk.Count > 0) yield return chunk;
        }
    }
}
