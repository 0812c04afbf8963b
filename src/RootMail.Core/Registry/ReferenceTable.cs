using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Azure;
using Azure.Data.Tables;

namespace RootMail.Registry
{
    /// <summary>
    /// A table in the public reference design's layout, read only: partition "root", one row per alias with the columns
    /// aws_mail, in_use, user_mail, root_mailbox and aws_account_id. Column names are matched without regard to case and
    /// values are read as whatever type they were stored with. Storage failures become RootMail errors without secrets.
    /// </summary>
    internal sealed class ReferenceTable
    {
        public const string Partition = "root";

        readonly TableClient _table;

        ReferenceTable(TableClient table, string accountName)
        {
            _table = table;
            AccountName = accountName;
        }

        public string TableName => _table.Name;
        public string AccountName { get; }

        /// <summary>A table of the registry's storage account (same credential), or of the account a connection string names.</summary>
        public static ReferenceTable Open(TableRegistry registry, string tableName, string? connectionString)
        {
            if (connectionString is null)
            {
                var service = registry.Service ?? throw Errors.RegistryNotConnected();
                return new ReferenceTable(service.GetTableClient(tableName), service.AccountName);
            }
            try
            {
                var service = new TableServiceClient(connectionString, TableRegistry.NewOptions(new RequestCounter()));
                return new ReferenceTable(service.GetTableClient(tableName), service.AccountName);
            }
            catch (Exception ex) when (ex is FormatException || ex is ArgumentException || ex is InvalidOperationException || ex is UriFormatException)
            {
                throw Errors.InvalidSourceConnectionString();
            }
        }

        /// <summary>Every row of the "root" partition, in key order, page by page.</summary>
        public IEnumerable<ReferenceRow> Rows(CancellationToken cancel)
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition}");
            var pages = Call(() => _table.Query<TableEntity>(filter, 1000, null, cancel).AsPages().GetEnumerator());
            while (Call(() => pages.MoveNext()))
                foreach (var entity in pages.Current.Values) yield return new ReferenceRow(entity);
        }

        T Call<T>(Func<T> action)
        {
            try { return action(); }
            catch (RequestFailedException ex) when (ex.Status == 404) { throw Errors.ImportSourceNotFound(TableName, AccountName); }
            catch (RequestFailedException ex) when (ex.Status == 401 || ex.Status == 403) { throw Errors.ImportSourceAccessDenied(TableName, AccountName); }
            catch (RequestFailedException ex) when (ex.Status == 0 || ex.Status == 408 || ex.Status >= 500)
            {
                throw Errors.RegistryUnavailable($"reading the source table '{TableName}'", new Exception(ex.Status == 0 ? "the storage service did not answer." : $"status {ex.Status} {ex.ErrorCode}".TrimEnd() + "."));
            }
            catch (RequestFailedException ex) { throw Errors.RegistryError($"reading the source table '{TableName}'", new Exception($"status {ex.Status} {ex.ErrorCode}".TrimEnd() + ".")); }
            catch (AggregateException) { throw Errors.RegistryUnavailable($"reading the source table '{TableName}'", new Exception("the storage service did not answer.")); }
            catch (Azure.Identity.CredentialUnavailableException) { throw Errors.ImportSourceAccessDenied(TableName, AccountName); }
            catch (Azure.Identity.AuthenticationFailedException) { throw Errors.ImportSourceAccessDenied(TableName, AccountName); }
        }
    }

    /// <summary>One row of a reference-design table, its values as stored (string, bool, number ...), columns matched without regard to case.</summary>
    internal sealed class ReferenceRow
    {
        readonly TableEntity _entity;

        public ReferenceRow(TableEntity entity) => _entity = entity;

        public string RowKey => _entity.RowKey ?? "";
        /// <summary>When the row last changed (the service's timestamp).</summary>
        public DateTimeOffset? Timestamp => _entity.Timestamp;
        public object? AwsMail => Value("aws_mail");
        public object? InUse => Value("in_use");
        public object? UserMail => Value("user_mail");
        public object? RootMailbox => Value("root_mailbox");
        public object? AwsAccountId => Value("aws_account_id");

        object? Value(string column)
        {
            if (_entity.TryGetValue(column, out var exact)) return exact;
            var key = _entity.Keys.FirstOrDefault(k => string.Equals(k, column, StringComparison.OrdinalIgnoreCase));
            return key is null ? null : _entity[key];
        }

        /// <summary>A value as text: strings trimmed, numbers in invariant digits (a whole double without exponent), null when absent or blank.</summary>
        public static string? Text(object? value)
        {
            string? text;
            switch (value)
            {
                case null: return null;
                case string s: text = s; break;
                case double d when !double.IsNaN(d) && !double.IsInfinity(d) && Math.Floor(d) == d && Math.Abs(d) < 1e15: text = ((long)d).ToString(CultureInfo.InvariantCulture); break;
                case IFormattable f: text = f.ToString(null, CultureInfo.InvariantCulture); break;
                default: text = value.ToString(); break;
            }
            text = text?.Trim();
            return string.IsNullOrEmpty(text) ? null : text;
        }

        /// <summary>True when the value was stored as a number rather than a string (then leading zeros are gone).</summary>
        public static bool IsNumber(object? value) => value is int || value is long || value is double;

        /// <summary>in_use as a bool: a boolean, "true"/"false" (any case, also yes/no), or 0/1; null when absent or anything else.</summary>
        public static bool? Flag(object? value)
        {
            switch (value)
            {
                case bool b: return b;
                case int i when i == 0 || i == 1: return i == 1;
                case long l when l == 0 || l == 1: return l == 1;
                case double d when d == 0 || d == 1: return d == 1;
                case string s:
                    switch (s.Trim().ToLowerInvariant())
                    {
                        case "true": case "1": case "yes": return true;
                        case "false": case "0": case "no": return false;
                    }
                    return null;
                default: return null;
            }
        }
    }
}
