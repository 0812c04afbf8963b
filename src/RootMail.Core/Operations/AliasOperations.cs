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
    /// <summary>Filters of Get-AwsRootAlias; all given ones must match.</summary>
    public sealed class AliasQuery
    {
        public string? Address { get; set; }
        public string? AccountId { get; set; }
        public string? RequestedBy { get; set; }
        public AliasStatus? Status { get; set; }
        public string? Mailbox { get; set; }
    }

    /// <summary>
    /// Hand-out, provisioning, registration and retirement of aliases. Every invariant is enforced by the table:
    /// the alias row's key makes an address unique, the account row's key makes a binding unique, the mailbox row's
    /// ETag guards its capacity, and each state change is one entity-group transaction over the rows it touches.
    /// </summary>
    public sealed class AliasOperations : OperationsBase
    {
        /// <summary>Claim windows per pool: concurrent claimers pick different ones at random.</summary>
        const int WindowCount = 16;
        /// <summary>Most aliases one refill lists in a window: with the window row and the claim's three actions, one transaction.</summary>
        const int WindowSize = MaxTransactionActions - 4;
        /// <summary>Rows of the availability index read by one refill; it lists a random sample of them.</summary>
        const int RefillPage = 1000;
        /// <summary>Available aliases read per attempt on the direct path; concurrent claimers pick different ones at random.</summary>
        const int DirectPage = 64;
        /// <summary>Addresses added to one mailbox by one Set-Mailbox call when provisioning.</summary>
        public const int ExchangeBatchSize = 300;
        /// <summary>How often an address Exchange reports as taken is replaced before giving up.</summary>
        const int MaxReplacements = 10;

        public AliasOperations(RegistrySession session, IOperationHost host, Func<IExchange> exchange) : base(session, host, exchange) { }

        // ---------------------------------------------------------------- hand-out

        /// <summary>
        /// Hands out an alias: claims an Available one (no Exchange call) or, when the pool has none, reserves a new
        /// address on a mailbox with free capacity, adds it in Exchange and assigns it. Returns null under -WhatIf.
        /// </summary>
        /// <remarks>
        /// A claim deletes the alias's availability row (which exists exactly while it is Available) in the transaction
        /// that assigns it, so of two racing claimers one fails whole. It finds the alias in a claim window (a point
        /// read, then the transaction); a window found empty is refilled from the availability index by one query in the
        /// same transaction. A pinned mailbox, or a pool whose remaining aliases all sit in windows, reads the index directly.
        /// </remarks>
        public AwsRootAlias? HandOut(string poolName, string requestedBy, string? accountName, string? mailbox)
        {
            var pool = Validate.PoolName(poolName);
            var requester = Validate.Email("RequestedBy", requestedBy);
            var name = Validate.AccountName(accountName);
            var pinned = mailbox is null ? null : ResolveMailbox(pool, Validate.MailboxIdentity("Mailbox", mailbox));
            var claim = new Claim(requester, name);

            if (pinned is null && ClaimFromWindow(pool, claim) is AwsRootAlias fromWindow) return fromWindow;
            if (claim.Declined) return null;
            for (int attempt = 0; attempt < MaxAttempts; attempt++)
            {
                var prefix = pinned is null ? Keys.AvailablePrefix(pool) : Keys.AvailablePrefix(pool, pinned.PrimarySmtpAddress);
                var candidates = Registry.FirstPage<AliasRow>(prefix, DirectPage, null, Cancel);
                if (candidates.Count == 0) break;
                var pick = candidates[NextRandom(candidates.Count)];
                if (!Confirm(claim, pick.Address)) return null;
                try
                {
                    Registry.Submit(claim.Actions(pick.Pool, pick.Mailbox, pick.Address, pick.CreatedAt, pick.ETag, out var assigned), Cancel);
                    return Claimed(assigned, claim);
                }
                catch (RegistryConflictException)
                {
                    Backoff(attempt);
                }
            }
            return AddAndHandOut(pool, requester, name, pinned, claim.Confirmed);
        }

        /// <summary>
        /// Claims an alias listed in a random claim window: a point read and one transaction that deletes the alias's
        /// availability row, assigns the alias and writes the window back without it. An empty window is refilled by one
        /// query for Available aliases no window lists, in the same transaction. Null when no window can be filled.
        /// </summary>
        AwsRootAlias? ClaimFromWindow(string pool, Claim claim)
        {
            var stale = new HashSet<string>(StringComparer.OrdinalIgnoreCase); // listed, but taken another way
            WindowRow? window = null;
            int conflicts = 0;
            for (int attempt = 0; attempt < MaxAttempts; attempt++)
            {
                var key = window?.RowKey ?? Keys.Window(pool, NextRandom(WindowCount));
                window ??= Registry.Get<WindowRow>(key, Cancel) ?? new WindowRow { RowKey = key };
                var entries = window.Parse().Where(e => !stale.Contains(e.Address)).ToList();
                var actions = new List<TableTransactionAction>();
                WindowEntry pick;
                ETag availability = ETag.All; // a listed alias is Available exactly while its availability row exists
                if (entries.Count > 0)
                {
                    pick = entries[NextRandom(entries.Count)];
                    entries.Remove(pick);
                    AddWindowWrite(actions, window, entries);
                }
                else
                {
                    var page = Registry.FirstPage<AliasRow>(Keys.AvailablePrefix(pool), RefillPage, TableRegistry.Filter($"Queued eq {false}"), Cancel);
                    if (page.Count == 0) return null;
                    var sample = Sample(page, 1 + Math.Min(WindowSize, Math.Max(1, page.Count / WindowCount)));
                    pick = WindowEntry.From(sample[0]);
                    availability = sample[0].ETag;
                    var listed = sample.Skip(1).ToList();
                    AddWindowWrite(actions, window, listed.Select(WindowEntry.From));
                    // Marked under their ETags: two refillers cannot list the same alias.
                    actions.AddRange(listed.Select(r => new TableTransactionAction(TableTransactionActionType.UpdateMerge,
                        new TableEntity(Keys.Partition, r.RowKey) { [nameof(AliasRow.Queued)] = true }, r.ETag)));
                    Host.Verbose($"Claim window {key} was empty; listing {listed.Count} available aliases in it.");
                }
                if (!Confirm(claim, pick.Address)) return null;
                int claimAt = actions.Count;
                actions.AddRange(claim.Actions(pool, pick.Mailbox, pick.Address, pick.CreatedAt, availability, out var assigned));
                try
                {
                    Registry.Submit(actions, Cancel);
                    return Claimed(assigned, claim);
                }
                catch (RegistryConflictException ex) when (ex.FailedIndex >= claimAt && availability == ETag.All)
                {
                    stale.Add(pick.Address); // the window itself is unchanged: try another of its aliases
                }
                catch (RegistryConflictException)
                {
                    window = null; // another claimer or refiller changed the window: read a random one again
                    if (++conflicts > 2) Backoff(conflicts - 3);
                }
            }
            throw Errors.RegistryBusy("handing out an alias in pool " + pool);
        }

        /// <summary>Writes a window back under its ETag: replaced, inserted, or deleted when nothing is left in it.</summary>
        static void AddWindowWrite(List<TableTransactionAction> actions, WindowRow window, IEnumerable<WindowEntry> entries)
        {
            var list = entries.ToList();
            bool exists = !window.ETag.Equals(default(ETag));
            var row = new WindowRow { RowKey = window.RowKey, Entries = WindowRow.Format(list) };
            if (list.Count > 0) actions.Add(exists ? Replace(row, window.ETag) : Insert(row));
            else if (exists) actions.Add(Delete(row, window.ETag));
        }

        /// <summary>A random sample, in random order, of up to <paramref name="count"/> rows.</summary>
        List<T> Sample<T>(IReadOnlyList<T> rows, int count)
        {
            var copy = rows.ToList();
            for (int i = 0; i < Math.Min(count, copy.Count); i++)
            {
                int j = i + NextRandom(copy.Count - i);
                (copy[i], copy[j]) = (copy[j], copy[i]);
            }
            return copy.Take(count).ToList();
        }

        bool Confirm(Claim claim, string address)
        {
            if (claim.Confirmed) return true;
            if (!Host.ShouldProcess(address, $"Hand out available alias to {claim.Requester}")) { claim.Declined = true; return false; }
            return claim.Confirmed = true;
        }

        AwsRootAlias Claimed(AliasRow assigned, Claim claim)
        {
            Host.Verbose($"Handed out pre-provisioned alias '{assigned.Address}' (mailbox {assigned.Mailbox}) to {claim.Requester}.");
            return assigned.ToAlias();
        }

        /// <summary>One hand-out's requester and account name, and whether the user has confirmed it.</summary>
        sealed class Claim
        {
            public Claim(string requester, string? accountName)
            {
                Requester = requester;
                AccountName = accountName;
            }

            public string Requester { get; }
            public string? AccountName { get; }
            public bool Confirmed { get; set; }
            public bool Declined { get; set; }

            /// <summary>
            /// The claim of an Available alias: delete its availability row (under <paramref name="availability"/>, the
            /// claim itself), replace the alias row with the Assigned alias, index the requester.
            /// </summary>
            public TableTransactionAction[] Actions(string pool, string mailbox, string address, DateTimeOffset? createdAt, ETag availability, out AliasRow assigned)
            {
                assigned = new AliasRow
                {
                    RowKey = Keys.Alias(address), Address = address, Pool = pool, Mailbox = mailbox, Status = nameof(AliasStatus.Assigned),
                    RequestedBy = Requester, AccountName = AccountName, CreatedAt = createdAt, AssignedAt = Now,
                };
                return new[]
                {
                    Delete(new AliasRow { RowKey = Keys.Available(pool, mailbox, address) }, availability),
                    Replace(assigned, ETag.All),
                    Upsert(RequesterCopy(assigned)),
                };
            }
        }

        AwsRootAlias? AddAndHandOut(string pool, string requester, string? name, MailboxRow? pinned, bool confirmed)
        {
            var poolRow = ReadPool(pool);
            var template = AddressTemplate.Parse(poolRow.AddressTemplate, poolRow.Domain);
            AliasRow? reserved = null;
            MailboxRow? target = null;
            bool declined = false;
            Retry("reserving a new alias in pool " + pool, () =>
            {
                var mailboxes = pinned is null
                    ? ReadMailboxes(pool)
                    : new List<MailboxRow> { Registry.Get<MailboxRow>(pinned.RowKey, Cancel) ?? throw Errors.MailboxNotFound(pinned.PrimarySmtpAddress, pool) };
                var open = mailboxes.Where(m => m.FreeIn(poolRow) > 0).ToList();
                if (open.Count == 0) throw Errors.PoolExhausted(pool, 1, 0);
                var mailbox = open[NextRandom(open.Count)];
                var address = template.Generate(name, poolRow.Domain);
                if (!confirmed && !Host.ShouldProcess(address, $"Add alias to mailbox {mailbox.PrimarySmtpAddress} and hand it out to {requester}"))
                {
                    declined = true;
                    return true;
                }
                confirmed = true;
                Exchange.EnsureAvailable(); // before anything is written
                var row = NewReserved(address, pool, mailbox.PrimarySmtpAddress, "HandOut");
                row.RequestedBy = requester;
                row.AccountName = name;
                mailbox.Used++;
                row.ETag = Registry.Submit(new[] { Replace(mailbox, mailbox.ETag), Insert(row) }, Cancel)[1];
                reserved = row;
                target = mailbox;
                return true;
            });
            if (declined) return null;

            var final = AddToExchange(template, poolRow, target!, new List<AliasRow> { reserved! }, name)[0];
            final.Status = nameof(AliasStatus.Assigned);
            final.AssignedAt = Now;
            final.Pending = null;
            // Exchange holds the address now: finish even if Ctrl+C arrives, so no Reserved row is left behind.
            Registry.Submit(new[] { Replace(final, final.ETag), Upsert(RequesterCopy(final)) }, CancellationToken.None);
            Host.Verbose($"Added '{final.Address}' to mailbox {final.Mailbox} and handed it out to {requester}.");
            return final.ToAlias();
        }

        // ---------------------------------------------------------------- provisioning

        /// <summary>
        /// Adds <paramref name="count"/> Available aliases, filling the pool's mailboxes in name order: per mailbox,
        /// reservations in transactions of 99, one Set-Mailbox per up to 300 addresses, then one transaction per 50
        /// aliases making them Available. Streams the aliases as they become Available.
        /// </summary>
        public IEnumerable<AwsRootAlias> Provision(string poolName, int count, string? mailbox)
        {
            var pool = Validate.PoolName(poolName);
            if (count < 1 || count > Limits.MaxProvisionCount) throw Errors.InvalidCount(count, Limits.MaxProvisionCount);
            var mailboxId = mailbox is null ? null : Validate.MailboxIdentity("Mailbox", mailbox);
            var poolRow = ReadPool(pool);
            var template = AddressTemplate.Parse(poolRow.AddressTemplate, poolRow.Domain);
            var mailboxes = mailboxId is null ? ReadMailboxes(pool) : new List<MailboxRow> { ResolveMailbox(pool, mailboxId) };
            int free = mailboxes.Sum(m => m.FreeIn(poolRow));
            if (free < count) throw Errors.PoolExhausted(pool, count, free);

            var plan = new List<KeyValuePair<MailboxRow, int>>();
            int left = count;
            foreach (var m in mailboxes)
            {
                int take = Math.Min(left, m.FreeIn(poolRow));
                if (take == 0) continue;
                plan.Add(new KeyValuePair<MailboxRow, int>(m, take));
                left -= take;
                if (left == 0) break;
            }
            var approved = plan.Where(p => Host.ShouldProcess(p.Key.PrimarySmtpAddress, $"Add {p.Value} new available aliases to mailbox")).ToList();
            if (approved.Count == 0) return Enumerable.Empty<AwsRootAlias>();
            Exchange.EnsureAvailable(); // before anything is written
            return ProvisionPlan(poolRow, template, approved);
        }

        IEnumerable<AwsRootAlias> ProvisionPlan(PoolRow poolRow, AddressTemplate template, List<KeyValuePair<MailboxRow, int>> plan)
        {
            int total = plan.Sum(p => p.Value), made = 0;
            var activity = $"Provisioning {total} aliases in pool '{poolRow.Name}'";
            Host.Progress(activity, "starting", 0);
            foreach (var step in plan)
            {
                var mailbox = step.Key;
                int left = step.Value;
                while (left > 0)
                {
                    Cancel.ThrowIfCancellationRequested(); // Ctrl+C between batches stops cleanly
                    var rows = Reserve(poolRow, template, ref mailbox, Math.Min(left, ExchangeBatchSize));
                    if (rows.Count == 0) throw Errors.PoolExhausted(poolRow.Name, total - made, 0);
                    Host.Verbose($"Adding {rows.Count} addresses to mailbox {mailbox.PrimarySmtpAddress} in one Set-Mailbox call.");
                    rows = AddToExchange(template, poolRow, mailbox, rows, null);
                    MakeAvailable(rows);
                    foreach (var row in rows) yield return row.ToAlias();
                    made += rows.Count;
                    left -= rows.Count;
                    Host.Progress(activity, $"{made} of {total} aliases available", made * 100 / total);
                }
            }
            Host.Progress(activity, "done", 100, completed: true);
        }

        /// <summary>
        /// Reserves up to <paramref name="count"/> new addresses on a mailbox, fewer if it filled up meanwhile. Starts from
        /// the mailbox row as last read or written (its ETag catches any change since) and reads it again only after a lost
        /// race; <paramref name="mailboxRow"/> is left as last read or written, for the next batch.
        /// </summary>
        List<AliasRow> Reserve(PoolRow poolRow, AddressTemplate template, ref MailboxRow mailboxRow, int count)
        {
            var mailboxAddress = mailboxRow.PrimarySmtpAddress;
            MailboxRow? known = mailboxRow;
            var result = new List<AliasRow>();
            while (result.Count < count)
            {
                int want = Math.Min(count - result.Count, MaxTransactionActions - 1);
                List<AliasRow> chunk = new List<AliasRow>();
                Retry("reserving aliases on " + mailboxAddress, () =>
                {
                    var mailbox = known ?? Registry.Get<MailboxRow>(Keys.Mailbox(mailboxAddress), Cancel) ?? throw Errors.MailboxNotFound(mailboxAddress, poolRow.Name);
                    known = null; // after a lost race, read it again
                    int n = Math.Min(want, mailbox.FreeIn(poolRow));
                    var addresses = new HashSet<string>();
                    while (addresses.Count < n) addresses.Add(template.Generate(null, poolRow.Domain));
                    chunk = addresses.Select(a => NewReserved(a, poolRow.Name, mailboxAddress, "Provision")).ToList();
                    if (n == 0) { known = mailbox; return true; }
                    mailbox.Used += n;
                    var actions = new List<TableTransactionAction> { Replace(mailbox, mailbox.ETag) };
                    actions.AddRange(chunk.Select(Insert));
                    var etags = Registry.Submit(actions, Cancel);
                    mailbox.ETag = etags[0];
                    known = mailbox;
                    for (int i = 0; i < chunk.Count; i++) chunk[i].ETag = etags[i + 1];
                    return true;
                });
                if (chunk.Count == 0) break;
                result.AddRange(chunk);
            }
            if (known != null) mailboxRow = known;
            return result;
        }

        void MakeAvailable(List<AliasRow> rows)
        {
            foreach (var chunk in Chunks(rows, MaxTransactionActions / 2))
            {
                var actions = new List<TableTransactionAction>();
                foreach (var row in chunk)
                {
                    row.Status = nameof(AliasStatus.Available);
                    row.Pending = null;
                    row.ReservedAt = null;
                    actions.Add(Replace(row, row.ETag));
                    actions.Add(Insert(row.Copy(Keys.Available(row.Pool, row.Mailbox, row.Address))));
                }
                // Exchange holds these addresses: finish even if Ctrl+C arrives, so no Reserved row is left behind.
                var etags = Registry.Submit(actions, CancellationToken.None);
                for (int i = 0; i < chunk.Count; i++) chunk[i].ETag = etags[2 * i];
            }
        }

        /// <summary>
        /// Adds reserved addresses to their mailbox in one Set-Mailbox call. An address Exchange reports as taken
        /// elsewhere in the tenant is replaced by a fresh one (in the registry first) and the call is made again.
        /// On any other failure the reservations are withdrawn and the error is raised.
        /// </summary>
        List<AliasRow> AddToExchange(AddressTemplate template, PoolRow poolRow, MailboxRow mailbox, List<AliasRow> rows, string? name)
        {
            for (int replaced = 0; ; replaced++)
            {
                try
                {
                    Exchange.AddAddresses(mailbox.PrimarySmtpAddress, rows.Select(r => r.Address).ToList());
                    return rows;
                }
                catch (ExchangeAddressInUseException ex) when (replaced < MaxReplacements && rows.Any(r => r.Address == ex.Address))
                {
                    int i = rows.FindIndex(r => r.Address == ex.Address);
                    Host.Verbose($"Exchange says '{ex.Address}' is already used in the tenant; replacing it with a new address.");
                    rows[i] = ReplaceReservation(rows[i], template, poolRow, name);
                }
                catch (ExchangeProxyLimitException ex)
                {
                    Withdraw(mailbox.PrimarySmtpAddress, rows);
                    MarkFull(mailbox.PrimarySmtpAddress);
                    throw Errors.MailboxFullInExchange(mailbox.PrimarySmtpAddress, ex.Message, ex);
                }
                catch (ExchangeTransientException ex)
                {
                    // Exchange may or may not have applied the call: the reservations stay, recognisably unfinished.
                    throw Errors.ExchangeUnavailable(ex.Command, mailbox.PrimarySmtpAddress, rows.Count, ex.Message, ex);
                }
                catch (ExchangeCommandException ex)
                {
                    Withdraw(mailbox.PrimarySmtpAddress, rows);
                    throw Errors.ExchangeFailed(ex.Command, mailbox.PrimarySmtpAddress, ex.Message, ex);
                }
                catch (RootMailException)
                {
                    Withdraw(mailbox.PrimarySmtpAddress, rows);
                    throw;
                }
            }
        }

        AliasRow ReplaceReservation(AliasRow old, AddressTemplate template, PoolRow poolRow, string? name)
        {
            AliasRow? result = null;
            Retry("replacing a taken address", () =>
            {
                var address = template.Generate(name, poolRow.Domain);
                var row = old.Copy(Keys.Alias(address));
                row.Address = address;
                row.ETag = default;
                row.CreatedAt = row.ReservedAt = Now;
                row.ETag = Registry.Submit(new[] { Delete(old, old.ETag), Insert(row) }, Cancel)[1];
                result = row;
                return true;
            });
            return result!;
        }

        /// <summary>Removes reservations that Exchange refused and gives their capacity back.</summary>
        void Withdraw(string mailboxAddress, List<AliasRow> rows)
        {
            try
            {
                foreach (var chunk in Chunks(rows, MaxTransactionActions - 1))
                    AdjustUsed(mailboxAddress, -chunk.Count, chunk.Select(r => Delete(r, r.ETag)));
            }
            catch (Exception ex) when (ex is RootMailException || ex is RegistryConflictException)
            {
                Host.Warning($"{rows.Count} unfinished reservations on {mailboxAddress} could not be withdrawn ({ex.Message}); they are never handed out.");
            }
        }

        /// <summary>Exchange counts more proxy addresses than the registry knew: no new alias goes to this mailbox again.</summary>
        void MarkFull(string mailboxAddress)
        {
            try
            {
                Retry("marking " + mailboxAddress + " full", () =>
                {
                    var row = Registry.Get<MailboxRow>(Keys.Mailbox(mailboxAddress), Cancel);
                    if (row is null) return true;
                    row.OtherProxies = Math.Max(row.OtherProxies, Limits.ExchangeProxyAddressLimit - row.Used);
                    Registry.Submit(new[] { Replace(row, row.ETag) }, Cancel);
                    return true;
                });
            }
            catch (RootMailException ex)
            {
                Host.Warning($"Mailbox {mailboxAddress} could not be marked full ({ex.Message}).");
            }
        }

        static AliasRow NewReserved(string address, string pool, string mailbox, string pending) => new AliasRow
        {
            RowKey = Keys.Alias(address), Address = address, Pool = pool, Mailbox = mailbox, Status = nameof(AliasStatus.Reserved),
            Pending = pending, CreatedAt = DateTimeOffset.UtcNow, ReservedAt = DateTimeOffset.UtcNow,
        };

        // ---------------------------------------------------------------- registration

        /// <summary>
        /// Binds an Assigned alias to an AWS account: one account, one alias, both ways. The same binding again is a
        /// no-op; a conflicting one is an error. Returns null under -WhatIf.
        /// </summary>
        public AwsRootAlias? Register(string poolName, string address, string accountId, string? accountName)
        {
            var pool = Validate.PoolName(poolName);
            var alias = Validate.AliasAddress(address);
            var account = Validate.AccountId(accountId);
            var name = Validate.AccountName(accountName);
            AwsRootAlias? result = null;
            bool confirmed = false;
            Retry("registering " + alias, () =>
            {
                var row = ResolveAlias(pool, alias);
                var status = row.StatusValue;
                if (status == AliasStatus.Registered)
                {
                    if (row.AccountId != account) throw Errors.AliasAlreadyRegistered(alias, row.AccountId ?? "");
                    Host.Verbose($"'{alias}' is already registered to AWS account {account}; nothing to do.");
                    result = row.ToAlias();
                    return true;
                }
                if (status != AliasStatus.Assigned) throw Errors.AliasNotAssigned(alias, status);
                if (!confirmed && !Host.ShouldProcess(alias, $"Register alias to AWS account {account}")) return true;
                confirmed = true;
                row.Status = nameof(AliasStatus.Registered);
                row.AccountId = account;
                if (name != null) row.AccountName = name;
                row.RegisteredAt = Now;
                try
                {
                    Registry.Submit(WithRequesterCopy(row, Replace(row, row.ETag), Insert(AccountCopy(row))), Cancel);
                }
                catch (RegistryConflictException ex) when (ex.KeyExists)
                {
                    var bound = Registry.Get<AliasRow>(Keys.Account(account), Cancel);
                    if (bound is null) return false;
                    if (bound.Address != alias) throw Errors.AccountAlreadyRegistered(account, bound.Address);
                    return false; // registered by a concurrent call: the next attempt sees it and returns it
                }
                Host.Verbose($"Registered '{alias}' to AWS account {account}.");
                result = row.ToAlias();
                return true;
            });
            return result;
        }

        // ---------------------------------------------------------------- retirement and release

        /// <summary>
        /// Retires an alias (for ever: it is never handed out again), keeping its address on the mailbox so mail still
        /// arrives unless <paramref name="removeAddress"/>; or, with <paramref name="release"/>, returns an Assigned
        /// alias that was never registered to Available. Returns null under -WhatIf.
        /// </summary>
        public AwsRootAlias? Remove(string poolName, string? address, string? accountId, bool removeAddress, bool release)
        {
            var pool = Validate.PoolName(poolName);
            var alias = address is null ? null : Validate.AliasAddress(address);
            var account = alias is null ? Validate.AccountId(accountId) : null;
            if (release && removeAddress)
                throw new RootMailException("RootMail.InvalidArgumentCombination", "-Release and -RemoveAddress cannot be used together: a released alias stays on its mailbox to be handed out again.", ErrorKind.InvalidArgument);
            AwsRootAlias? result = null;
            AliasRow? retired = null;
            bool confirmed = false;
            Retry("changing " + (alias ?? "the alias of account " + account), () =>
            {
                var row = alias != null ? ResolveAlias(pool, alias) : ResolveAccount(pool, account!);
                var status = row.StatusValue;
                var actions = new List<TableTransactionAction>();
                if (release)
                {
                    if (status == AliasStatus.Available) { Host.Verbose($"'{row.Address}' is already available."); result = row.ToAlias(); return true; }
                    if (status != AliasStatus.Assigned) throw Errors.CannotRelease(row.Address, status);
                    if (!confirmed && !Host.ShouldProcess(row.Address, $"Release alias handed to {row.RequestedBy} back to Available")) return true;
                    confirmed = true;
                    var requester = row.RequestedBy;
                    row.Status = nameof(AliasStatus.Available);
                    row.RequestedBy = null;
                    row.AccountName = null;
                    row.AssignedAt = null;
                    actions.Add(Replace(row, row.ETag));
                    actions.Add(Insert(row.Copy(Keys.Available(row.Pool, row.Mailbox, row.Address))));
                    if (requester != null) actions.Add(Delete(new AliasRow { RowKey = Keys.Requester(requester, row.Address) }, ETag.All));
                    Registry.Submit(actions, Cancel);
                    Host.Verbose($"Released '{row.Address}' back to Available.");
                    result = row.ToAlias();
                    return true;
                }

                if (status == AliasStatus.Retired)
                {
                    if (!removeAddress || row.AddressRemoved) { Host.Verbose($"'{row.Address}' is already retired."); result = row.ToAlias(); return true; }
                }
                else if (status == AliasStatus.Reserved) throw Errors.AliasNotAssigned(row.Address, status);
                var what = removeAddress
                    ? $"Retire alias for ever and remove the address from mailbox {row.Mailbox} (mail to it will no longer arrive)"
                    : $"Retire alias for ever (the address stays on mailbox {row.Mailbox}, so mail still arrives)";
                if (!confirmed && !Host.ShouldProcess(row.Address, what)) return true;
                confirmed = true;
                if (status != AliasStatus.Retired)
                {
                    if (status == AliasStatus.Registered && row.AccountId != null)
                        actions.Add(Delete(new AliasRow { RowKey = Keys.Account(row.AccountId) }, ETag.All));
                    if (status == AliasStatus.Available)
                        actions.Add(Delete(new AliasRow { RowKey = Keys.Available(row.Pool, row.Mailbox, row.Address) }, ETag.All));
                    row.Status = nameof(AliasStatus.Retired);
                    row.RetiredAt = Now;
                }
                if (removeAddress) row.Pending = "RemoveAddress";
                actions.Insert(0, Replace(row, row.ETag));
                row.ETag = Registry.Submit(WithRequesterCopy(row, actions.ToArray()), Cancel)[0];
                Host.Verbose($"Retired '{row.Address}'.");
                retired = row;
                result = row.ToAlias();
                return true;
            });
            if (retired is null || !removeAddress) return result;

            // The registry says Retired first, so the address can never be handed out while it is being removed.
            Host.Verbose($"Removing '{retired.Address}' from mailbox {retired.Mailbox} in Exchange.");
            try { Exchange.RemoveAddresses(retired.Mailbox, new[] { retired.Address }); }
            catch (ExchangeTransientException ex) { throw Errors.ExchangeUnavailable(ex.Command, retired.Mailbox, 1, ex.Message, ex); }
            catch (ExchangeCommandException ex) { throw Errors.ExchangeFailed(ex.Command, retired.Mailbox, ex.Message, ex); }
            retired.Pending = null;
            retired.AddressRemoved = true;
            AdjustUsed(retired.Mailbox, -1, WithRequesterCopy(retired, Replace(retired, retired.ETag)));
            return retired.ToAlias();
        }

        // ---------------------------------------------------------------- lookups

        /// <summary>Addresses of the pool that start with a prefix (tab completion): one key range, no scan.</summary>
        public IEnumerable<string> Complete(string poolName, string prefix, int max)
        {
            var pool = Validate.PoolName(poolName);
            if (prefix.Any(c => c == '/' || c == '\\' || c == '#' || c == '?' || char.IsControl(c))) return Enumerable.Empty<string>();
            var start = Keys.Alias(prefix);
            var end = Keys.PrefixEnd(start);
            return Registry.QueryRange<AliasRow>(start, end, TableRegistry.Filter($"Pool eq {pool}"), max, Cancel).Take(max).Select(r => r.Address);
        }

        /// <summary>
        /// Finds aliases. By address or account: one point read; by requester: one range of full copies; Available
        /// ones: a range of the availability index; otherwise the pool's aliases, streamed page by page.
        /// </summary>
        public IEnumerable<AwsRootAlias> Get(string poolName, AliasQuery query)
        {
            var pool = Validate.PoolName(poolName);
            var address = query.Address is null ? null : Validate.AliasAddress(query.Address);
            var account = query.AccountId is null ? null : Validate.AccountId(query.AccountId);
            var requester = query.RequestedBy is null ? null : Validate.Email("RequestedBy", query.RequestedBy);
            var mailboxId = query.Mailbox is null ? null : Validate.MailboxIdentity("Mailbox", query.Mailbox);

            var mailbox = mailboxId is null ? null : ResolveMailbox(pool, mailboxId).PrimarySmtpAddress;
            IEnumerable<AliasRow> rows;
            if (address != null) rows = new[] { ResolveAlias(pool, address) };
            else if (account != null) rows = new[] { FindAccount(pool, account) };
            else
            {
                if (mailbox is null) ReadPool(pool);
                if (requester != null)
                    // Requester rows written before they became full copies hold only the address: read those aliases.
                    rows = Registry.Query<AliasRow>(Keys.RequesterPrefix(requester), null, null, Cancel)
                        .Select(r => r.Status.Length > 0 ? r : ReadAlias(r.Address)).Where(r => r != null && r.Pool == pool)!;
                else if (query.Status == AliasStatus.Available)
                    rows = Registry.Query<AliasRow>(mailbox is null ? Keys.AvailablePrefix(pool) : Keys.AvailablePrefix(pool, mailbox), null, null, Cancel);
                else
                {
                    var filter = TableRegistry.Filter($"Pool eq {pool}");
                    if (query.Status is AliasStatus s) filter += " and " + TableRegistry.Filter($"Status eq {s.ToString()}");
                    if (mailbox != null) filter += " and " + TableRegistry.Filter($"Mailbox eq {mailbox}");
                    rows = Registry.Query<AliasRow>(Keys.AliasPrefix, filter, null, Cancel);
                }
            }
            var status = query.Status;
            return rows.Where(r => (status is null || r.StatusValue == status)
                                   && (mailbox is null || r.Mailbox == mailbox)
                                   && (account is null || r.AccountId == account)
                                   && (requester is null || r.RequestedBy == requester))
                       .Select(r => r.ToAlias());
        }
    }
}
