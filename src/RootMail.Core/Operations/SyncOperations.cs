using System;
using System.Collections.Generic;
using System.Linq;
using Azure.Data.Tables;
using RootMail.Exchange;
using RootMail.Registry;
using RootMail.Rules;

namespace RootMail.Operations
{
    /// <summary>
    /// Compares the registry with the proxy addresses of the pool's mailboxes (one Get-Mailbox per mailbox, one
    /// streamed pass over the pool's alias rows) and, with repair, fixes what can be fixed safely. Every repair is
    /// its own conditional write, so Sync can run while runbooks hand out aliases.
    /// </summary>
    public sealed class SyncOperations : OperationsBase
    {
        public static readonly TimeSpan DefaultReservationAge = TimeSpan.FromMinutes(15);

        public SyncOperations(RegistrySession session, IOperationHost host, Func<IExchange> exchange) : base(session, host, exchange) { }

        sealed class Finding
        {
            public SyncKind Kind;
            public string? Address;
            public string Mailbox = "";
            public string Action = "";
            /// <summary>Null: cannot be repaired safely; <see cref="Reason"/> says why.</summary>
            public Action? Repair;
            public string? Reason;
        }

        public IEnumerable<AwsRootSyncItem> Sync(string poolName, bool repair, TimeSpan? reservationAge)
        {
            var pool = Validate.PoolName(poolName);
            var age = reservationAge ?? DefaultReservationAge;
            if (age < TimeSpan.Zero) throw new RootMailException("RootMail.InvalidArgument", "-ReservationAge cannot be negative.", ErrorKind.InvalidArgument, age);
            var poolRow = ReadPool(pool);
            Exchange.EnsureAvailable();
            return Run(poolRow, repair, age);
        }

        IEnumerable<AwsRootSyncItem> Run(PoolRow poolRow, bool repair, TimeSpan age)
        {
            var pool = poolRow.Name;
            var activity = $"Comparing pool '{pool}' with Exchange";
            Host.Progress(activity, "reading the registry", 0);
            // Copies before aliases: a copy that changes in between is written under a newer ETag, so a repair based on
            // this snapshot fails instead of undoing it.
            var copies = ReadCopies(pool);
            var aliases = Registry.Query<AliasRow>(Keys.AliasPrefix, TableRegistry.Filter($"Pool eq {pool}"), null, Cancel)
                .GroupBy(a => a.Mailbox).ToDictionary(g => g.Key, g => g.ToList());
            var available = new HashSet<string>(Registry.Query<AliasRow>(Keys.AvailablePrefix(pool), null, null, Cancel).Select(a => a.RowKey));
            var mailboxes = ReadMailboxes(pool);
            var cutoff = DateTimeOffset.UtcNow - age;

            for (int i = 0; i < mailboxes.Count; i++)
            {
                Cancel.ThrowIfCancellationRequested();
                var mailbox = mailboxes[i];
                Host.Progress(activity, $"mailbox {i + 1} of {mailboxes.Count}: {mailbox.Name}", i * 100 / Math.Max(1, mailboxes.Count));
                aliases.TryGetValue(mailbox.PrimarySmtpAddress, out var rows);
                rows ??= new List<AliasRow>();
                var findings = Compare(poolRow, mailbox, rows, available, cutoff);
                foreach (var finding in findings) yield return Settle(finding, repair, pool);
                if (findings.Any(f => f.Kind == SyncKind.MailboxMissingInExchange)) continue;
                // Judged on the snapshot: the repairs above change the rows and the counter together.
                int expected = rows.Count(r => !r.AddressRemoved);
                if (expected != mailbox.Used)
                {
                    var finding = new Finding
                    {
                        Kind = SyncKind.UsageMismatch, Mailbox = mailbox.PrimarySmtpAddress,
                        Action = $"Recount the mailbox's aliases (the registry counts {mailbox.Used}, it holds {expected})",
                        Repair = () => Recount(pool, mailbox.PrimarySmtpAddress),
                    };
                    yield return Settle(finding, repair, pool);
                }
            }
            foreach (var finding in CompareCopies(copies, aliases.Values.SelectMany(r => r))) yield return Settle(finding, repair, pool);
            Host.Progress(activity, "done", 100, completed: true);
        }

        /// <summary>The pool's account bindings and requester entries, which are copies of their aliases, by row key.</summary>
        Dictionary<string, AliasRow> ReadCopies(string pool)
        {
            var inPool = TableRegistry.Filter($"Pool eq {pool}");
            return Registry.Query<AliasRow>(Keys.AccountPrefix, inPool, null, Cancel)
                .Concat(Registry.Query<AliasRow>(Keys.RequesterPrefix(), inPool, null, Cancel))
                .ToDictionary(r => r.RowKey, StringComparer.Ordinal);
        }

        /// <summary>
        /// Every Registered alias has its account binding and every handed-out alias its requester entry, each equal to
        /// the alias; no other copy exists. A missing or different copy is rewritten from the alias under the alias's
        /// ETag (kept up to date, so two repairs of one alias both succeed); a stray one is deleted under its own.
        /// </summary>
        IEnumerable<Finding> CompareCopies(Dictionary<string, AliasRow> copies, IEnumerable<AliasRow> aliases)
        {
            var expected = new HashSet<string>(StringComparer.Ordinal);
            foreach (var alias in aliases)
            {
                var status = alias.StatusValue;
                var keys = new List<(string Key, string What)>();
                if (status == AliasStatus.Registered && alias.AccountId != null) keys.Add((Keys.Account(alias.AccountId), "account binding"));
                if (status != AliasStatus.Available && status != AliasStatus.Reserved && alias.RequestedBy != null)
                    keys.Add((Keys.Requester(alias.RequestedBy, alias.Address), "requester entry"));
                foreach (var (key, what) in keys)
                {
                    expected.Add(key);
                    if (copies.TryGetValue(key, out var copy) && SameAlias(copy, alias)) continue;
                    var captured = alias;
                    yield return new Finding
                    {
                        Kind = SyncKind.IndexMismatch, Address = alias.Address, Mailbox = alias.Mailbox,
                        Action = $"{(copy is null ? "Write" : "Rewrite")} the {what} from the {status} alias",
                        Repair = () => RewriteWith(captured, Upsert(captured.Copy(key))),
                    };
                }
            }
            foreach (var stray in copies.Values.Where(c => !expected.Contains(c.RowKey)))
            {
                var captured = stray;
                yield return new Finding
                {
                    Kind = SyncKind.IndexMismatch, Address = stray.Address, Mailbox = stray.Mailbox,
                    Action = $"Remove the stray {(stray.RowKey.StartsWith(Keys.AccountPrefix, StringComparison.Ordinal) ? "account binding " + stray.AccountId : "requester entry of " + stray.RequestedBy)}",
                    Repair = () => Registry.Submit(new[] { Delete(captured, captured.ETag) }, Cancel),
                };
            }
        }

        static bool SameAlias(AliasRow a, AliasRow b)
            => a.Address == b.Address && a.Pool == b.Pool && a.Mailbox == b.Mailbox && a.Status == b.Status && a.AccountId == b.AccountId
               && a.AccountName == b.AccountName && a.RequestedBy == b.RequestedBy && a.CreatedAt == b.CreatedAt && a.AssignedAt == b.AssignedAt
               && a.RegisteredAt == b.RegisteredAt && a.RetiredAt == b.RetiredAt && a.Pending == b.Pending && a.AddressRemoved == b.AddressRemoved;

        List<Finding> Compare(PoolRow poolRow, MailboxRow mailbox, List<AliasRow> rows, HashSet<string> available, DateTimeOffset cutoff)
        {
            var pool = poolRow.Name;
            var findings = new List<Finding>();
            var box = mailbox.PrimarySmtpAddress;
            var exchange = Exchange.GetMailbox(box);
            if (exchange is null)
            {
                findings.Add(new Finding
                {
                    Kind = SyncKind.MailboxMissingInExchange, Mailbox = box, Action = "None",
                    Reason = "Exchange has no such mailbox. Restore it (a deleted mailbox can be recovered for 30 days) or move its aliases by hand; RootMail will not guess.",
                });
                return findings;
            }
            var present = new HashSet<string>(exchange.SecondarySmtpAddresses()
                .Where(a => Validate.IsAliasAddress(a) && Validate.DomainOf(a) == poolRow.Domain && a != box));
            var known = new HashSet<string>(rows.Select(r => r.Address));

            foreach (var row in rows)
            {
                bool onMailbox = present.Contains(row.Address);
                var status = row.StatusValue;
                if (status == AliasStatus.Reserved)
                {
                    if ((row.ReservedAt ?? row.CreatedAt ?? DateTimeOffset.MinValue) > cutoff) continue; // may still be in progress
                    var captured = row;
                    findings.Add(onMailbox
                        ? new Finding { Kind = SyncKind.UnfinishedReservation, Address = row.Address, Mailbox = box, Action = "Complete it: the address is on the mailbox, make it Available", Repair = () => CompleteReservation(captured) }
                        : new Finding { Kind = SyncKind.UnfinishedReservation, Address = row.Address, Mailbox = box, Action = "Withdraw it: Exchange never got the address", Repair = () => WithdrawReservation(captured) });
                }
                else if (status == AliasStatus.Retired && row.Pending == "RemoveAddress")
                {
                    var captured = row;
                    findings.Add(new Finding
                    {
                        Kind = SyncKind.UnfinishedRemoval, Address = row.Address, Mailbox = box,
                        Action = onMailbox ? "Remove the address from the mailbox and record it" : "Record the removal Exchange already made",
                        Repair = () => FinishRemoval(captured, onMailbox),
                    });
                }
                else if (!row.AddressRemoved && !onMailbox)
                {
                    var captured = row;
                    findings.Add(new Finding
                    {
                        Kind = SyncKind.MissingInExchange, Address = row.Address, Mailbox = box,
                        Action = $"Add the address back to the mailbox ({status} aliases must receive mail)",
                        Repair = () => Exchange.AddAddresses(box, new[] { captured.Address }),
                    });
                }
                if ((status == AliasStatus.Available) != available.Contains(Keys.Available(pool, box, row.Address)))
                {
                    var captured = row;
                    findings.Add(new Finding
                    {
                        Kind = SyncKind.IndexMismatch, Address = row.Address, Mailbox = box,
                        Action = status == AliasStatus.Available ? "Add the alias to the availability index" : $"Remove the {status} alias from the availability index",
                        Repair = () => FixAvailability(captured),
                    });
                }
            }

            foreach (var address in present.Where(a => !known.Contains(a)))
            {
                var elsewhere = ReadAlias(address);
                if (elsewhere != null)
                {
                    findings.Add(new Finding
                    {
                        Kind = SyncKind.AddressConflict, Address = address, Mailbox = box, Action = "None",
                        Reason = $"The registry records it on {elsewhere.Mailbox} (pool '{elsewhere.Pool}', {elsewhere.Status}). Check which mailbox should carry it.",
                    });
                    continue;
                }
                var captured = address;
                findings.Add(mailbox.Origin == "Imported"
                    ? new Finding
                    {
                        Kind = SyncKind.MissingInRegistry, Address = address, Mailbox = box, Action = "None",
                        Reason = "The mailbox was imported from the reference design, whose table did not list this address: it may be an AWS account's root address. Add its row to the source table and run Import-AwsRootRegistry again.",
                    }
                    : new Finding
                    {
                        Kind = SyncKind.MissingInRegistry, Address = address, Mailbox = box, Action = "Adopt it as Available",
                        Repair = () => AdoptAddress(pool, box, captured),
                    });
            }
            return findings;
        }

        AwsRootSyncItem Settle(Finding f, bool repair, string pool)
        {
            SyncOutcome outcome;
            string? detail = f.Reason;
            if (!repair) outcome = SyncOutcome.Found;
            else if (f.Repair is null) outcome = SyncOutcome.NotRepaired;
            else if (!Host.ShouldProcess(f.Address ?? f.Mailbox, f.Action)) { outcome = SyncOutcome.NotRepaired; detail = "Declined (-WhatIf or -Confirm)."; }
            else
            {
                try
                {
                    f.Repair();
                    outcome = SyncOutcome.Repaired;
                    Host.Verbose($"Repaired {f.Kind} {f.Address ?? f.Mailbox}: {f.Action}.");
                }
                catch (Exception ex) when (ex is RootMailException || ex is ExchangeCommandException || ex is RegistryConflictException)
                {
                    outcome = SyncOutcome.Failed;
                    detail = ex is RegistryConflictException ? "It changed meanwhile; run Sync-AwsRootRegistry again." : ex.Message;
                }
            }
            return new AwsRootSyncItem(f.Kind, f.Address, f.Mailbox, f.Action, outcome, detail, pool);
        }

        void CompleteReservation(AliasRow row)
        {
            var done = row.Copy(row.RowKey);
            done.ETag = row.ETag;
            done.Status = nameof(AliasStatus.Available);
            done.Pending = null;
            done.ReservedAt = null;
            done.RequestedBy = null;
            done.AccountName = null;
            Registry.Submit(new[] { Replace(done, done.ETag), Insert(done.Copy(Keys.Available(done.Pool, done.Mailbox, done.Address))) }, Cancel);
        }

        void WithdrawReservation(AliasRow row) => AdjustUsed(row.Mailbox, -1, new[] { Delete(row, row.ETag) });

        void FinishRemoval(AliasRow row, bool onMailbox)
        {
            if (onMailbox) Exchange.RemoveAddresses(row.Mailbox, new[] { row.Address });
            var done = row.Copy(row.RowKey);
            done.Pending = null;
            done.AddressRemoved = true;
            AdjustUsed(row.Mailbox, -1, WithRequesterCopy(done, Replace(done, row.ETag)));
        }

        void FixAvailability(AliasRow row)
        {
            var key = Keys.Available(row.Pool, row.Mailbox, row.Address);
            RewriteWith(row, row.StatusValue == AliasStatus.Available ? Upsert(row.Copy(key)) : Delete(new AliasRow { RowKey = key }, Azure.ETag.All));
        }

        /// <summary>
        /// Writes one index row of an alias in a transaction that rewrites the alias under its ETag, so a change made since
        /// Sync read it fails the repair. The new ETag goes back into the row: another repair of the same alias is guarded by it.
        /// </summary>
        void RewriteWith(AliasRow row, TableTransactionAction index) => row.ETag = Registry.Submit(new[] { Replace(row, row.ETag), index }, Cancel)[0];

        void AdoptAddress(string pool, string mailbox, string address)
        {
            var row = MailboxOperations.NewAvailable(address, pool, mailbox);
            AdjustUsed(mailbox, +1, new[] { Insert(row), Insert(row.Copy(Keys.Available(pool, mailbox, address))) });
        }

        /// <summary>Sets the counter to the alias rows on the mailbox; the mailbox's ETag, read before counting, catches concurrent reservations.</summary>
        void Recount(string pool, string mailboxAddress)
        {
            Retry("recounting " + mailboxAddress, () =>
            {
                var mailbox = Registry.Get<MailboxRow>(Keys.Mailbox(mailboxAddress), Cancel) ?? throw Errors.MailboxNotFound(mailboxAddress, pool);
                mailbox.Used = Registry.Query<AliasRow>(Keys.AliasPrefix, TableRegistry.Filter($"Pool eq {pool} and Mailbox eq {mailboxAddress} and AddressRemoved eq {false}"), null, Cancel).Count();
                Registry.Submit(new[] { Replace(mailbox, mailbox.ETag) }, Cancel);
                return true;
            });
        }
    }
}
