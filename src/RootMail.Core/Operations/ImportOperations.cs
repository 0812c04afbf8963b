using System;
using System.Collections.Generic;
using System.Linq;
using Azure;
using Azure.Data.Tables;
using RootMail.Exchange;
using RootMail.Registry;
using RootMail.Rules;

namespace RootMail.Operations
{
    /// <summary>
    /// Import-AwsRootRegistry: brings the rows of a table in the public reference design's layout (partition "root";
    /// aws_mail, in_use, user_mail, root_mailbox, aws_account_id) into a pool, idempotently.
    /// <para>
    /// Safety first: an alias that the source has in use must never become Available, not even for a moment. So the
    /// import records the reference design's mailboxes itself (registry only, read with Get-Mailbox) instead of relying
    /// on New-AwsRootMailbox -Adopt, which makes every alias it does not know Available. A mailbox recorded by the import
    /// counts every proxy address it carries as "other" until its alias is imported: Used + OtherProxies stays equal to
    /// what Exchange holds, so no new address is planned over Exchange's 400, and the addresses the source does not
    /// list are never handed out.
    /// </para>
    /// <para>
    /// Each alias is one entity-group transaction: its alias row and index rows (conditional inserts) together with the
    /// mailbox row's counter under its ETag (the mailbox row is inserted with its first alias). An interruption leaves
    /// every alias either imported with its indexes and counted, or untouched; a second run reports AlreadyPresent.
    /// </para>
    /// </summary>
    public sealed class ImportOperations : OperationsBase
    {
        public ImportOperations(RegistrySession session, IOperationHost host, Func<IExchange> exchange) : base(session, host, exchange) { }

        string _pool = "";

        /// <summary>A source row, validated.</summary>
        sealed class Row
        {
            public string RowKey = "";
            public string RawAddress = "";
            public string? Address;
            public AliasStatus Target;
            public string? AccountText;
            public string? AccountId;
            public string? Requester;
            public string? MailboxText;
            public DateTimeOffset? Changed;
            /// <summary>Why the row is rejected (set: Rejected).</summary>
            public string? Problem;
            /// <summary>Why the row conflicts with another row of the source (set: Conflict).</summary>
            public string? Conflict;
            /// <summary>A note on an imported row.</summary>
            public string? Note;
            /// <summary>An identical earlier row of the same address: this one gets its result.</summary>
            public Row? DuplicateOf;
            public MailboxPlan? Mailbox;
            public AwsRootImportResult? Result;
            public bool Declined;
            /// <summary>It was Available in the registry and the import took it out of hand-out.</summary>
            public bool Claimed;

            public string Signature => string.Join("|", Target, AccountId, Requester, Mailbox?.Primary ?? MailboxText?.ToLowerInvariant());
        }

        /// <summary>A mailbox named by root_mailbox, resolved in the registry and in Exchange.</summary>
        sealed class MailboxPlan
        {
            public string Text = "";
            public string Primary = "";
            public string Name = "";
            /// <summary>Secondary SMTP addresses in Exchange, lowercased.</summary>
            public HashSet<string> Proxies = new HashSet<string>(StringComparer.Ordinal);
            /// <summary>Every proxy address in Exchange (primary, onmicrosoft.com, X500 ... included): what Exchange's 400 counts.</summary>
            public int Total;
            /// <summary>The mailbox row; null while the mailbox is not recorded (the import inserts it with its first alias).</summary>
            public MailboxRow? Row;
            public bool RecordedHere;
            public string? Problem;
            public bool ProblemIsConflict;
        }

        /// <summary>
        /// Reads the source table and returns its rows' results lazily, one per row in key order. Everything that can be
        /// wrong with the parameters, the pool, the source table or the Exchange connection fails here, before anything
        /// is written.
        /// </summary>
        public IEnumerable<AwsRootImportResult> Import(string poolName, string sourceTableName, string? sourceConnectionString)
        {
            var pool = _pool = Validate.PoolName(poolName);
            string table;
            try { table = Validate.TableName(sourceTableName); }
            catch (RootMailException) { throw Errors.InvalidSourceTableName(sourceTableName); }
            if (sourceConnectionString != null && sourceConnectionString.Trim().Length == 0) throw Errors.InvalidSourceConnectionString();
            var source = ReferenceTable.Open(Registry, table, sourceConnectionString);
            if (string.Equals(source.TableName, Registry.TableName, StringComparison.OrdinalIgnoreCase)
                && string.Equals(source.AccountName, Registry.AccountName, StringComparison.OrdinalIgnoreCase))
                throw Errors.ImportSourceIsRegistry(table);
            var poolRow = ReadPool(pool);
            Exchange.EnsureAvailable();

            var activity = $"Importing table '{table}' into pool '{pool}'";
            Host.Progress(activity, "reading the source table", -1);
            var rows = new List<Row>();
            foreach (var entity in source.Rows(Cancel))
            {
                rows.Add(Parse(entity, poolRow));
                if (rows.Count % 1000 == 0) Host.Progress(activity, $"reading the source table: {rows.Count} rows", -1);
            }
            Host.Verbose($"Read {rows.Count} rows of table '{table}' (storage account '{source.AccountName}', partition '{ReferenceTable.Partition}').");
            if (rows.Count == 0)
                Host.Warning($"Table '{table}' has no rows with PartitionKey '{ReferenceTable.Partition}', so there is nothing to import. Is it the reference design's table?");
            return Run(poolRow, activity, rows);
        }

        IEnumerable<AwsRootImportResult> Run(PoolRow poolRow, string activity, List<Row> rows)
        {
            var plans = ResolveMailboxes(poolRow, activity, rows);
            FindDuplicates(rows);

            int imported = 0, present = 0, rejected = 0, conflicts = 0, claimed = 0;
            for (int i = 0; i < rows.Count; i++)
            {
                Cancel.ThrowIfCancellationRequested();
                var row = rows[i];
                Host.Progress(activity, $"row {i + 1} of {rows.Count}: {imported} imported, {present} already present, {rejected + conflicts} not imported", i * 100 / rows.Count);
                row.Result = Process(row, poolRow);
                if (row.Result is null) continue;
                switch (row.Result.Outcome)
                {
                    case ImportOutcome.Imported: imported++; if (row.Claimed) claimed++; break;
                    case ImportOutcome.AlreadyPresent: present++; break;
                    case ImportOutcome.Rejected: rejected++; break;
                    default: conflicts++; break;
                }
                yield return row.Result;
            }
            Host.Progress(activity, "done", 100, completed: true);

            WarnAboutMailboxes(poolRow, plans, rows);
            if (claimed > 0)
                Host.Warning($"{claimed} aliases were Available in the registry although the source table has them in use or retired (their mailbox was adopted before the import); they are no longer handed out.");
            Host.Verbose($"Import into pool '{poolRow.Name}': {imported} imported, {present} already present, {rejected} rejected, {conflicts} in conflict, {rows.Count(r => r.Declined)} skipped, of {rows.Count} rows; " +
                         $"{plans.Count(p => p.RecordedHere)} mailboxes recorded in the pool.");
            if (rejected + conflicts > 0)
                Host.Warning($"{rejected + conflicts} of {rows.Count} rows were not imported ({rejected} rejected, {conflicts} in conflict); see the Reason column. " +
                             "Fix them in the source table (or the registry) and run Import-AwsRootRegistry again: rows already imported are left as they are.");
        }

        // ---------------------------------------------------------------- reading and checking the source

        Row Parse(ReferenceRow source, PoolRow poolRow)
        {
            var row = new Row
            {
                RowKey = source.RowKey,
                RawAddress = ReferenceRow.Text(source.AwsMail) ?? "",
                AccountText = ReferenceRow.Text(source.AwsAccountId),
                MailboxText = ReferenceRow.Text(source.RootMailbox),
                Changed = source.Timestamp,
            };
            if (row.AccountText != null && row.AccountText.Trim('0').Length == 0) row.AccountText = null; // 0: no account
            var userText = ReferenceRow.Text(source.UserMail);

            try { row.Address = Validate.AliasAddress(row.RawAddress, poolRow.Name, poolRow.Domain); }
            catch (RootMailException ex)
            {
                row.Problem = row.RawAddress.Length == 0
                    ? "aws_mail is empty. Fill in the alias address in the source table and run the import again, or leave the row out."
                    : ex.ErrorId == "RootMail.AddressNotInPoolDomain"
                        ? $"'{Show(row.RawAddress)}' is not in pool '{poolRow.Name}', whose aliases are all @{poolRow.Domain}. Import the rows of that domain into its own pool with -Pool."
                        : ex.Message + " Correct aws_mail in the source table and run the import again.";
                return row;
            }

            var inUse = ReferenceRow.Flag(source.InUse);
            if (inUse is null)
            {
                row.Problem = source.InUse is null
                    ? "in_use is missing. Set it to true or false in the source table and run the import again."
                    : $"in_use '{Show(ReferenceRow.Text(source.InUse))}' is neither true nor false (nor 1 or 0). Correct it in the source table and run the import again.";
                return row;
            }

            if (row.AccountText != null)
            {
                var text = row.AccountText;
                if (text.All(c => c >= '0' && c <= '9') && text.Length < 12)
                {
                    row.Problem = $"aws_account_id {Show(text)} has {text.Length} digits, not 12: it was probably stored as a number and lost {12 - text.Length} leading zero(s) " +
                                  $"(it may be '{text.PadLeft(12, '0')}'). Look the account up in AWS Organizations, write its 12-digit ID as a string into the source row, and run the import again.";
                    return row;
                }
                if (text.Length != 12 || !text.All(c => c >= '0' && c <= '9'))
                {
                    row.Problem = $"aws_account_id '{Show(text)}' is not an AWS account ID (exactly 12 digits). Correct it in the source table and run the import again.";
                    return row;
                }
                row.AccountId = text;
            }

            if (inUse == true)
            {
                if (userText is null)
                {
                    row.Problem = "in_use is true but user_mail is empty: an alias in use needs its requester's address. Fill in user_mail in the source table and run the import again.";
                    return row;
                }
                try { row.Requester = Validate.Email("user_mail", userText); }
                catch (RootMailException)
                {
                    row.Problem = $"user_mail '{Show(userText)}' is not a valid e-mail address, and an alias in use needs its requester's address. Correct it in the source table and run the import again.";
                    return row;
                }
                row.Target = row.AccountId is null ? AliasStatus.Assigned : AliasStatus.Registered;
            }
            else if (row.AccountId != null)
            {
                // The reference design frees an alias by clearing in_use; an address that belonged to an AWS account must never be handed out again.
                row.Target = AliasStatus.Retired;
                if (userText != null)
                {
                    try { row.Requester = Validate.Email("user_mail", userText); }
                    catch (RootMailException) { } // history only: a retired alias needs no requester
                }
                row.Note = $"in_use is false, but the row names AWS account {row.AccountId}: a former root address is never handed out again, so it was imported as Retired.";
            }
            else row.Target = AliasStatus.Available;

            if (row.MailboxText is null)
                row.Problem = "root_mailbox is empty: the import needs the shared mailbox that carries the alias. Fill it in (its name or primary SMTP address) and run the import again.";
            return row;
        }

        /// <summary>An address on several rows, or an AWS account on several aliases: the source contradicts itself.</summary>
        static void FindDuplicates(List<Row> rows)
        {
            foreach (var group in rows.Where(r => r.Problem is null).GroupBy(r => r.Address!).Where(g => g.Count() > 1))
            {
                var list = group.ToList();
                if (list.All(r => r.Signature == list[0].Signature))
                {
                    foreach (var later in list.Skip(1)) later.DuplicateOf = list[0];
                    continue;
                }
                var keys = string.Join(", ", list.Select(r => "'" + Show(r.RowKey) + "'"));
                foreach (var r in list)
                    r.Conflict = $"The source table lists '{group.Key}' {list.Count} times with different values (rows {keys}). Keep one row for it and run the import again.";
            }
            var registered = rows.Where(r => r.Problem is null && r.Conflict is null && r.DuplicateOf is null && r.Target == AliasStatus.Registered);
            foreach (var group in registered.GroupBy(r => r.AccountId!).Where(g => g.Count() > 1))
            {
                var addresses = string.Join(", ", group.Select(r => r.Address));
                foreach (var r in group)
                    r.Conflict = $"AWS account {group.Key} is on {group.Count()} rows of the source table ({addresses}), but an account has one root address. " +
                                 "Look up the account's root e-mail in AWS Organizations, correct the other rows, and run the import again.";
            }
        }

        /// <summary>One registry lookup and one Get-Mailbox per distinct root_mailbox, before anything is written.</summary>
        List<MailboxPlan> ResolveMailboxes(PoolRow poolRow, string activity, List<Row> rows)
        {
            var byText = new Dictionary<string, MailboxPlan>(StringComparer.OrdinalIgnoreCase);
            var byPrimary = new Dictionary<string, MailboxPlan>(StringComparer.Ordinal);
            List<MailboxRow>? poolMailboxes = null;
            var wanted = rows.Where(r => r.Problem is null).ToList();
            var texts = wanted.Select(r => r.MailboxText!).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            for (int i = 0; i < texts.Count; i++)
            {
                Cancel.ThrowIfCancellationRequested();
                Host.Progress(activity, $"reading mailbox {i + 1} of {texts.Count}: {Show(texts[i])}", -1);
                byText[texts[i]] = Resolve(poolRow, texts[i], byPrimary, ref poolMailboxes);
            }
            foreach (var row in wanted) row.Mailbox = byText[row.MailboxText!];
            return byPrimary.Values.ToList();
        }

        MailboxPlan Resolve(PoolRow poolRow, string text, Dictionary<string, MailboxPlan> byPrimary, ref List<MailboxRow>? poolMailboxes)
        {
            var pool = poolRow.Name;
            MailboxPlan Failed(string why, bool conflict = false) => new MailboxPlan { Text = text, Primary = text, Problem = why, ProblemIsConflict = conflict };
            string id;
            try { id = Validate.MailboxIdentity("root_mailbox", text); }
            catch (RootMailException)
            {
                return Failed($"root_mailbox '{Show(text)}' is neither a mailbox name RootMail accepts nor an e-mail address. Put the mailbox's primary SMTP address into the source table and run the import again.");
            }

            MailboxRow? row;
            if (id.IndexOf('@') >= 0) row = Registry.Get<MailboxRow>(Keys.Mailbox(id), Cancel);
            else row = (poolMailboxes ??= ReadMailboxes(pool)).FirstOrDefault(m => string.Equals(m.Name, id, StringComparison.OrdinalIgnoreCase));
            if (row != null && row.Pool != pool) return OtherPool(row);

            ExchangeMailbox? mailbox;
            try { mailbox = Exchange.GetMailbox(row?.PrimarySmtpAddress ?? id); }
            catch (ExchangeCommandException ex)
            {
                return Failed($"Exchange refused Get-Mailbox for '{id}': {FirstLine(ex.Message)} Run the import again.");
            }
            if (mailbox is null)
                return Failed(row != null
                    ? $"Pool mailbox '{row.PrimarySmtpAddress}' is in the registry, but Exchange has no such mailbox. Check it with Sync-AwsRootRegistry."
                    : $"Exchange has no mailbox '{id}'. Correct root_mailbox in the source table (the name or primary SMTP address of the shared mailbox that carries the alias) and run the import again.");
            if (!string.Equals(mailbox.RecipientTypeDetails, "SharedMailbox", StringComparison.OrdinalIgnoreCase))
                return Failed($"'{id}' is a {mailbox.RecipientTypeDetails}, not a shared mailbox; only shared mailboxes (no licence needed) can carry a pool's aliases.");
            if (byPrimary.TryGetValue(mailbox.PrimarySmtpAddress, out var known)) return known;

            row ??= Registry.Get<MailboxRow>(Keys.Mailbox(mailbox.PrimarySmtpAddress), Cancel);
            if (row != null && row.Pool != pool) return OtherPool(row);
            var plan = new MailboxPlan
            {
                Text = text, Primary = mailbox.PrimarySmtpAddress, Name = mailbox.Name, Total = mailbox.EmailAddresses.Count, Row = row,
                Proxies = new HashSet<string>(mailbox.SecondarySmtpAddresses(), StringComparer.Ordinal),
            };
            byPrimary[plan.Primary] = plan;
            Host.Verbose(row is null
                ? $"Mailbox '{mailbox.Name}' <{plan.Primary}> is not in the registry yet: the import records it in pool '{pool}' with its first alias (Exchange is not changed)."
                : $"Mailbox '{mailbox.Name}' <{plan.Primary}> is in pool '{pool}' (used {row.Used}).");
            return plan;

            MailboxPlan OtherPool(MailboxRow other) => Failed(
                $"Mailbox '{other.PrimarySmtpAddress}' is in pool '{other.Pool}', not in '{pool}'. Import the rows of its aliases with -Pool {other.Pool}.", conflict: true);
        }

        // ---------------------------------------------------------------- one row

        AwsRootImportResult? Process(Row row, PoolRow poolRow)
        {
            var pool = poolRow.Name;
            if (row.Problem != null) return Result(row, ImportOutcome.Rejected, null, row.Problem);
            if (row.Conflict != null) return Result(row, ImportOutcome.Conflict, null, row.Conflict);
            if (row.DuplicateOf is Row first)
            {
                if (first.Result is null) { row.Declined = true; return null; }
                var again = first.Result.Outcome == ImportOutcome.Imported || first.Result.Outcome == ImportOutcome.AlreadyPresent
                    ? ImportOutcome.AlreadyPresent : first.Result.Outcome;
                return Result(row, again, first.Result.Status,
                    $"The source table lists this alias again (first in row '{Show(first.RowKey)}')." + (first.Result.Reason is null ? "" : " " + first.Result.Reason), first.Result.Mailbox);
            }
            var plan = row.Mailbox!;
            if (plan.Problem != null) return Result(row, plan.ProblemIsConflict ? ImportOutcome.Conflict : ImportOutcome.Rejected, null, plan.Problem);
            var address = row.Address!;
            if (address == plan.Primary)
                return Result(row, ImportOutcome.Rejected, null, $"'{address}' is the primary address of mailbox '{plan.Name}', not an alias on it. Correct the source row and run the import again.", plan.Primary);

            AwsRootImportResult? result = null;
            bool confirmed = false;
            Retry("importing " + address, () =>
            {
                var existing = ReadAlias(address);
                if (existing != null)
                {
                    result = Existing(row, plan, existing, ref confirmed);
                    return result != null || row.Declined;
                }
                if (!plan.Proxies.Contains(address))
                {
                    result = Result(row, ImportOutcome.Rejected, null,
                        $"Exchange does not have '{address}' on mailbox {plan.Primary}. Find the mailbox that has it (Get-Recipient -Identity {address}), correct root_mailbox in the source row, and run the import again.",
                        plan.Primary);
                    return true;
                }
                if (BoundElsewhere(row, address) is AwsRootImportResult taken) { result = taken; return true; }
                if (!confirmed && !Host.ShouldProcess(address, Describe(row, plan))) { row.Declined = true; return true; }
                confirmed = true;

                var alias = NewAlias(row, pool, plan.Primary);
                var counted = Counted(plan.Row ?? NewMailboxRow(plan, pool), plan.Total);
                var actions = new List<TableTransactionAction> { plan.Row is null ? Insert(counted) : Replace(counted, plan.Row.ETag), Insert(alias) };
                actions.AddRange(IndexRows(alias));
                try
                {
                    counted.ETag = Registry.Submit(actions, Cancel)[0];
                }
                catch (RegistryConflictException ex) when (ex.KeyExists && ex.FailedIndex >= 2 && actions[ex.FailedIndex.Value].Entity is AliasRow stale)
                {
                    // Not the mailbox row nor the alias row: an availability entry of an alias the registry does not have.
                    result = Result(row, ImportOutcome.Conflict, null,
                        $"The registry has a stale entry '{stale.RowKey}' for it although it has no alias '{address}'. Run Sync-AwsRootRegistry -Repair, then import again.", plan.Primary);
                    return true;
                }
                catch (RegistryConflictException)
                {
                    // The mailbox row changed (or was recorded meanwhile), or the alias or account binding was written meanwhile: read again.
                    plan.Row = Registry.Get<MailboxRow>(Keys.Mailbox(plan.Primary), Cancel);
                    if (plan.Row != null && plan.Row.Pool != pool)
                    {
                        result = Result(row, ImportOutcome.Conflict, null, $"Mailbox '{plan.Primary}' was recorded in pool '{plan.Row.Pool}' meanwhile. Import the rows of its aliases with -Pool {plan.Row.Pool}.", plan.Primary);
                        return true;
                    }
                    return false;
                }
                if (plan.Row is null)
                {
                    plan.RecordedHere = true;
                    Host.Verbose($"Recorded mailbox '{plan.Name}' <{plan.Primary}> in pool '{pool}'.");
                }
                plan.Row = counted;
                Host.Verbose($"Imported '{address}' as {row.Target} on mailbox {plan.Primary}.");
                result = Result(row, ImportOutcome.Imported, row.Target, row.Note, plan.Primary);
                return true;
            });
            return result;
        }

        /// <summary>The alias is in the registry already: the same (AlreadyPresent), a safe step forward (Available taken out of hand-out, Assigned registered), or a Conflict.</summary>
        AwsRootImportResult? Existing(Row row, MailboxPlan plan, AliasRow existing, ref bool confirmed)
        {
            var address = existing.Address;
            var status = existing.StatusValue;
            if (existing.Pool != _pool)
                return Result(row, ImportOutcome.Conflict, status, $"The registry has '{address}' in pool '{existing.Pool}'. Import its row with -Pool {existing.Pool}, or correct the source row.", existing.Mailbox);
            if (existing.Mailbox != plan.Primary)
                return Result(row, ImportOutcome.Conflict, status,
                    $"The registry records '{address}' on mailbox {existing.Mailbox}, the source table on {plan.Primary}. Check which mailbox Exchange has it on (Get-Recipient -Identity {address}) and correct the source row, or run Sync-AwsRootRegistry.",
                    existing.Mailbox);

            if (Same(existing, row)) return Result(row, ImportOutcome.AlreadyPresent, status, null, existing.Mailbox);

            bool claim = status == AliasStatus.Available && row.Target != AliasStatus.Available;
            bool register = status == AliasStatus.Assigned && row.Target == AliasStatus.Registered && existing.RequestedBy == row.Requester;
            if (!claim && !register)
                return Result(row, ImportOutcome.Conflict, status,
                    $"The registry has '{address}' {Describe(existing)}; the source table says {Describe(row)}. The registry was left as it is. " + Advice(status), existing.Mailbox);

            if (BoundElsewhere(row, address) is AwsRootImportResult taken) return taken;
            var action = !claim
                ? $"Register the Assigned alias to AWS account {row.AccountId}, as the source table says"
                : row.Target == AliasStatus.Retired
                    ? $"Take the Available alias out of hand-out: the source table names AWS account {row.AccountId}; record it as Retired"
                    : $"Take the Available alias out of hand-out: the source table has it in use; record it as {Describe(row)}";
            if (!confirmed && !Host.ShouldProcess(address, action)) { row.Declined = true; return null; }
            confirmed = true;

            var updated = existing.Copy(existing.RowKey);
            updated.Status = row.Target.ToString();
            var when = row.Changed ?? Now;
            if (claim)
            {
                updated.RequestedBy = row.Requester;
                if (row.Target != AliasStatus.Retired) updated.AssignedAt = when;
            }
            if (row.Target == AliasStatus.Registered) { updated.AccountId = row.AccountId; updated.RegisteredAt = when; }
            if (row.Target == AliasStatus.Retired) { updated.AccountId = row.AccountId; updated.RetiredAt = when; }
            var actions = new List<TableTransactionAction> { Replace(updated, existing.ETag) };
            // The alias row's ETag guards the claim: a concurrent hand-out rewrites it, so one of the two transactions fails whole.
            if (claim && Registry.Get<AliasRow>(Keys.Available(existing.Pool, existing.Mailbox, address), Cancel) is AliasRow entry)
                actions.Add(Delete(entry, entry.ETag));
            actions.AddRange(IndexRows(updated));
            Registry.Submit(actions, Cancel); // a lost race throws: Retry reads the alias again
            row.Claimed = claim;
            row.Note = claim
                ? "The registry had it Available (its mailbox was adopted before the import), so it could have been handed out again; the import took it out of hand-out."
                  + (row.Note is null ? "" : " " + row.Note)
                : "It was Assigned; the source table names its AWS account, so it is now Registered.";
            Host.Verbose($"'{address}' was {status} in the registry; now {row.Target}.");
            return Result(row, ImportOutcome.Imported, row.Target, row.Note, existing.Mailbox);
        }

        /// <summary>
        /// A row to be Registered whose account the registry binds already: Conflict (called only when the alias is not
        /// Registered in the registry, so a binding to this very address is a stale one). One point read.
        /// </summary>
        AwsRootImportResult? BoundElsewhere(Row row, string address)
        {
            if (row.Target != AliasStatus.Registered) return null;
            var binding = Registry.Get<AliasRow>(Keys.Account(row.AccountId!), Cancel);
            if (binding is null) return null;
            return Result(row, ImportOutcome.Conflict, null, binding.Address == address
                ? $"The registry binds AWS account {row.AccountId} to '{address}' although the alias is not Registered there. Run Sync-AwsRootRegistry -Repair, then import again."
                : $"AWS account {row.AccountId} is already registered to '{binding.Address}' in the registry, and an account has one root address. " +
                  "Check which address the account uses (AWS Organizations); retire the other with Remove-AwsRootAlias or correct the source row, and run the import again.",
                row.Mailbox?.Primary);
        }

        static bool Same(AliasRow existing, Row row)
        {
            var status = existing.StatusValue;
            if (status != row.Target) return false;
            switch (status)
            {
                case AliasStatus.Available: return true;
                case AliasStatus.Assigned: return existing.RequestedBy == row.Requester;
                case AliasStatus.Registered: return existing.AccountId == row.AccountId && existing.RequestedBy == row.Requester;
                case AliasStatus.Retired: return true;
                default: return false;
            }
        }

        AliasRow NewAlias(Row row, string pool, string mailbox)
        {
            var when = row.Changed ?? Now;
            var alias = new AliasRow
            {
                RowKey = Keys.Alias(row.Address!), Address = row.Address!, Pool = pool, Mailbox = mailbox, Status = row.Target.ToString(), CreatedAt = Now,
                RequestedBy = row.Target == AliasStatus.Available ? null : row.Requester,
                AccountId = row.Target == AliasStatus.Registered || row.Target == AliasStatus.Retired ? row.AccountId : null,
            };
            if (row.Target == AliasStatus.Assigned || row.Target == AliasStatus.Registered) alias.AssignedAt = when;
            if (row.Target == AliasStatus.Registered) alias.RegisteredAt = when;
            if (row.Target == AliasStatus.Retired) alias.RetiredAt = when;
            return alias;
        }

        /// <summary>The index rows that go with an alias in its status: avail| while Available, acct| while Registered, req| for a requester.</summary>
        static IEnumerable<TableTransactionAction> IndexRows(AliasRow alias)
        {
            var status = alias.StatusValue;
            if (status == AliasStatus.Available) yield return Insert(alias.Copy(Keys.Available(alias.Pool, alias.Mailbox, alias.Address)));
            if (status == AliasStatus.Registered)
                yield return Insert(AccountCopy(alias));
            if (status != AliasStatus.Available && alias.RequestedBy != null) yield return Upsert(RequesterCopy(alias));
        }

        /// <summary>A mailbox recorded by the import: every proxy address it carries counts as "other" until imported as an alias.</summary>
        static MailboxRow NewMailboxRow(MailboxPlan plan, string pool) => new MailboxRow
        {
            RowKey = Keys.Mailbox(plan.Primary), Name = plan.Name, PrimarySmtpAddress = plan.Primary, Pool = pool,
            Used = 0, OtherProxies = plan.Total, CreatedAt = DateTimeOffset.UtcNow, Origin = "Imported",
        };

        /// <summary>The mailbox row with one more alias: Used + 1, and one "other" address fewer while Used + OtherProxies would exceed what Exchange holds.</summary>
        static MailboxRow Counted(MailboxRow m, int total)
        {
            int used = m.Used + 1;
            return new MailboxRow
            {
                RowKey = m.RowKey, Name = m.Name, PrimarySmtpAddress = m.PrimarySmtpAddress, Pool = m.Pool, Capacity = m.Capacity,
                Used = used, OtherProxies = Math.Min(m.OtherProxies, Math.Max(0, total - used)), ForwardingAddress = m.ForwardingAddress, CreatedAt = m.CreatedAt, Origin = m.Origin,
            };
        }

        // ---------------------------------------------------------------- after the rows

        void WarnAboutMailboxes(PoolRow poolRow, List<MailboxPlan> plans, List<Row> rows)
        {
            var listed = new HashSet<string>(rows.Where(r => r.Address != null).Select(r => r.Address!), StringComparer.Ordinal);
            foreach (var plan in plans.Where(p => p.Row != null))
            {
                var box = plan.Row!.ToMailbox(poolRow);
                if (box.Used > box.Capacity)
                    Host.Warning($"Mailbox '{plan.Name}' carries {box.Used} root aliases, more than its capacity of {box.Capacity}. The imported aliases are kept; no new alias will be added to it.");
                if (box.Used + box.OtherProxyAddresses > Limits.ExchangeProxyAddressLimit)
                    Host.Warning($"Mailbox '{plan.Name}' is counted with {box.Used + box.OtherProxyAddresses} proxy addresses, more than Exchange's {Limits.ExchangeProxyAddressLimit}. Run Sync-AwsRootRegistry to compare it with Exchange.");

                var unlisted = plan.Proxies.Where(a => !listed.Contains(a) && Validate.IsAliasAddress(a) && Validate.DomainOf(a) == poolRow.Domain).ToList();
                if (unlisted.Count == 0) continue;
                var known = new HashSet<string>(Registry.Query<AliasRow>(Keys.AliasPrefix, TableRegistry.Filter($"Mailbox eq {plan.Primary}"), null, Cancel).Select(a => a.Address), StringComparer.Ordinal);
                unlisted.RemoveAll(known.Contains);
                if (unlisted.Count == 0) continue;
                Host.Warning($"Mailbox '{plan.Name}' carries {unlisted.Count} address(es) in {poolRow.Domain} that neither the source table nor the registry knows (for example {unlisted[0]}). " +
                             "They were not imported and are never handed out. Find out whether they are in use before anything adopts them as Available (Sync-AwsRootRegistry -Repair does).");
            }
        }

        // ---------------------------------------------------------------- text

        AwsRootImportResult Result(Row row, ImportOutcome outcome, AliasStatus? status, string? reason, string? mailbox = null)
            => new AwsRootImportResult(row.Address ?? row.RawAddress, outcome, status,
                row.AccountId ?? row.AccountText, row.Requester, mailbox ?? row.Mailbox?.Primary ?? row.MailboxText, _pool, reason, row.RowKey);

        static string Describe(Row row, MailboxPlan plan)
        {
            var where = plan.Row is null
                ? $" on mailbox {plan.Primary} (recorded in the pool by this import, as Exchange has it; Exchange is not changed)"
                : $" on mailbox {plan.Primary}";
            return "Import as " + Describe(row) + where;
        }

        static string Describe(Row row)
        {
            switch (row.Target)
            {
                case AliasStatus.Available: return "Available";
                case AliasStatus.Assigned: return $"Assigned to {row.Requester}";
                case AliasStatus.Registered: return $"Registered to AWS account {row.AccountId} (requested by {row.Requester})";
                default: return $"Retired (it belonged to AWS account {row.AccountId})";
            }
        }

        static string Describe(AliasRow alias)
        {
            switch (alias.StatusValue)
            {
                case AliasStatus.Available: return "Available";
                case AliasStatus.Assigned: return $"Assigned to {alias.RequestedBy}";
                case AliasStatus.Registered: return $"Registered to AWS account {alias.AccountId} (requested by {alias.RequestedBy})";
                case AliasStatus.Reserved: return "Reserved (an unfinished RootMail write)";
                default: return "Retired" + (alias.AccountId is null ? "" : $" (it belonged to AWS account {alias.AccountId})");
            }
        }

        static string Advice(AliasStatus status)
        {
            switch (status)
            {
                case AliasStatus.Retired: return "Retired is final: a former root address is never used again. Correct the source row or leave it out.";
                case AliasStatus.Reserved: return "Let the command that reserved it finish, or run Sync-AwsRootRegistry -Repair, then import again.";
                default: return "If the source table is right, change the alias with Register-AwsAccountAlias or Remove-AwsRootAlias and import again; if the registry is right, nothing needs doing.";
            }
        }

        static string FirstLine(string message) => message.Split('\n')[0].Trim();

        /// <summary>A source value fit for a message: at most 80 characters, no control characters.</summary>
        static string Show(string? value)
        {
            if (value is null) return "";
            var s = value.Length > 80 ? value.Substring(0, 80) + "..." : value;
            return new string(s.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        }
    }
}
