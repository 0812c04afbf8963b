using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace RootMail.Tests
{
    /// <summary>A message in the fake Graph's store.</summary>
    public sealed class FakeMessage
    {
        public string Id { get; set; } = "";
        public DateTimeOffset ReceivedAt { get; set; }
        public string FromAddress { get; set; } = "no-reply@signup.aws";
        public string FromName { get; set; } = "Amazon Web Services";
        public string[] To { get; set; } = Array.Empty<string>();
        public string[] Cc { get; set; } = Array.Empty<string>();
        public string Subject { get; set; } = "";
        /// <summary>The body as plain text; served as HTML unless the client prefers text.</summary>
        public string Body { get; set; } = "";
    }

    /// <summary>One request the fake Graph received.</summary>
    public sealed class FakeGraphRequest
    {
        public string Method { get; init; } = "";
        public string Path { get; init; } = "";
        /// <summary>The query with names and values decoded ($filter, $orderby, $select, $top, $skip).</summary>
        public IReadOnlyDictionary<string, string> Query { get; init; } = new Dictionary<string, string>();
        public bool Authorized { get; init; }
        public string? Prefer { get; init; }
        public int Status { get; set; }
        public string? Mailbox { get; init; }
    }

    /// <summary>
    /// A small Microsoft Graph on 127.0.0.1 (a random port) for the mail tests: GET /v1.0/users/{id}/messages with
    /// $filter (receivedDateTime ge|gt|le|lt, joined by 'and'; recipient filters are refused as Graph refuses them),
    /// $orderby (must lead the filter, as Graph demands), $top (page size, capped by <see cref="PageSize"/>), $skip,
    /// $select, Prefer: outlook.body-content-type="text" (HTML otherwise) and @odata.nextLink paging. It checks the bearer
    /// token (401 otherwise), answers 404 for unknown mailboxes, 403 for denied ones, and scripted faults (429 with
    /// Retry-After, 500 ...) for the next requests.
    /// </summary>
    public sealed class FakeGraphServer : IDisposable
    {
        readonly HttpListener _listener;
        readonly string _token;
        readonly object _gate = new object();
        readonly Dictionary<string, List<FakeMessage>> _mailboxes = new Dictionary<string, List<FakeMessage>>(StringComparer.OrdinalIgnoreCase);
        readonly HashSet<string> _denied = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        readonly Queue<(int Status, string? RetryAfter, string Code, string Message)> _faults = new Queue<(int, string?, string, string)>();
        readonly List<FakeGraphRequest> _requests = new List<FakeGraphRequest>();
        readonly CancellationTokenSource _stop = new CancellationTokenSource();
        readonly Task _loop;
        int _ids;

        public FakeGraphServer(string token)
        {
            _token = token;
            Exception? last = null;
            for (int attempt = 0; attempt < 10; attempt++)
            {
                var probe = new TcpListener(IPAddress.Loopback, 0);
                probe.Start();
                int port = ((IPEndPoint)probe.LocalEndpoint).Port;
                probe.Stop();
                var listener = new HttpListener();
                listener.Prefixes.Add($"http://127.0.0.1:{port}/");
                try
                {
                    listener.Start();
                    _listener = listener;
                    Port = port;
                    _loop = Task.Run(Loop);
                    return;
                }
                catch (HttpListenerException ex)
                {
                    last = ex;
                    listener.Close();
                }
            }
            throw new InvalidOperationException("The fake Graph could not listen on a loopback port.", last);
        }

        public int Port { get; }

        /// <summary>http://127.0.0.1:&lt;port&gt;, for Connect-AwsRootRegistry -GraphEndpoint.</summary>
        public string Endpoint => $"http://127.0.0.1:{Port}";

        /// <summary>The most messages one page holds, whatever $top asks (Graph also caps pages).</summary>
        public int PageSize { get; set; } = 1000;

        /// <summary>Makes a mailbox exist (empty); unknown mailboxes get 404.</summary>
        public void AddMailbox(string mailbox)
        {
            lock (_gate) if (!_mailboxes.ContainsKey(mailbox)) _mailboxes[mailbox] = new List<FakeMessage>();
        }

        public FakeMessage Add(string mailbox, FakeMessage message)
        {
            lock (_gate)
            {
                AddMailbox(mailbox);
                if (message.Id.Length == 0) message.Id = "AAMkAGI2TG93AAA=" + (++_ids).ToString(CultureInfo.InvariantCulture);
                _mailboxes[mailbox].Add(message);
                return message;
            }
        }

        public FakeMessage Add(string mailbox, DateTimeOffset receivedAt, string subject, string body, params string[] to)
            => Add(mailbox, new FakeMessage { ReceivedAt = receivedAt, Subject = subject, Body = body, To = to });

        /// <summary>403 ErrorAccessDenied for this mailbox, as Exchange RBAC for Applications answers outside the app's scope.</summary>
        public void Deny(string mailbox)
        {
            lock (_gate) _denied.Add(mailbox);
        }

        /// <summary>The next <paramref name="times"/> requests fail with this status (and Retry-After, if given).</summary>
        public void FailNext(int status, int times = 1, string? retryAfter = null, string code = "UnknownError", string message = "An internal server error occurred.")
        {
            lock (_gate) for (int i = 0; i < times; i++) _faults.Enqueue((status, retryAfter, code, message));
        }

        public IReadOnlyList<FakeGraphRequest> Requests
        {
            get { lock (_gate) return _requests.ToList(); }
        }

        public void ClearRequests()
        {
            lock (_gate) _requests.Clear();
        }

        async Task Loop()
        {
            while (!_stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync().ConfigureAwait(false);
                }
                catch (Exception) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                catch (HttpListenerException)
                {
                    return;
                }
                catch (ObjectDisposedException)
                {
                    return;
                }
                _ = Task.Run(() => Handle(context));
            }
        }

        void Handle(HttpListenerContext context)
        {
            try
            {
                var (status, body, headers) = Answer(context.Request);
                var response = context.Response;
                response.StatusCode = status;
                response.ContentType = "application/json; odata.metadata=minimal; charset=utf-8";
                foreach (var (name, value) in headers) response.AddHeader(name, value);
                var bytes = Encoding.UTF8.GetBytes(body);
                response.ContentLength64 = bytes.Length;
                response.OutputStream.Write(bytes, 0, bytes.Length);
                response.Close();
            }
            catch (Exception)
            {
                try { context.Response.Abort(); } catch (Exception) { }
            }
        }

        static readonly Regex MessagesPath = new Regex(@"^/v1\.0/users/(?<id>[^/]+)/messages/?$", RegexOptions.IgnoreCase);

        (int Status, string Body, List<(string, string)> Headers) Answer(HttpListenerRequest http)
        {
            var headers = new List<(string, string)> { ("request-id", Guid.NewGuid().ToString()) };
            var rawPath = http.Url!.AbsolutePath;
            var query = ParseQuery(http.Url.Query);
            var match = MessagesPath.Match(rawPath);
            var mailbox = match.Success ? Uri.UnescapeDataString(match.Groups["id"].Value) : null;
            var record = new FakeGraphRequest
            {
                Method = http.HttpMethod, Path = Uri.UnescapeDataString(rawPath), Query = query, Mailbox = mailbox,
                Authorized = http.Headers["Authorization"] == "Bearer " + _token, Prefer = http.Headers["Prefer"],
            };
            lock (_gate) _requests.Add(record);

            (int, string, List<(string, string)>) Reply(int status, string body)
            {
                record.Status = status;
                return (status, body, headers);
            }

            if (!record.Authorized)
                return Reply(401, Error("InvalidAuthenticationToken", http.Headers["Authorization"] is null ? "Access token is empty." : "Access token validation failure. Invalid audience."));
            (int Status, string? RetryAfter, string Code, string Message)? fault = null;
            lock (_gate) if (_faults.Count > 0) fault = _faults.Dequeue();
            if (fault is { } f)
            {
                if (f.RetryAfter != null) headers.Add(("Retry-After", f.RetryAfter));
                return Reply(f.Status, Error(f.Code, f.Message));
            }
            if (http.HttpMethod != "GET" || mailbox is null)
                return Reply(400, Error("BadRequest", $"Resource not found for the segment '{rawPath.Split('/').Last()}'."));

            List<FakeMessage> messages;
            lock (_gate)
            {
                if (!_mailboxes.TryGetValue(mailbox, out var stored)) return Reply(404, Error("ErrorInvalidUser", $"The requested user '{mailbox}' is invalid."));
                if (_denied.Contains(mailbox)) return Reply(403, Error("ErrorAccessDenied", "Access is denied. Check credentials and try again."));
                messages = stored.ToList();
            }

            // $filter
            var conditions = new List<Func<FakeMessage, bool>>();
            string? firstFilterProperty = null;
            if (query.TryGetValue("$filter", out var filter))
            {
                if (filter.Contains("Recipients", StringComparison.OrdinalIgnoreCase) || filter.Contains("any(", StringComparison.OrdinalIgnoreCase))
                    return Reply(400, Error("ErrorInvalidUrlQueryFilter", "The query filter contains one or more invalid nodes."));
                foreach (var part in Regex.Split(filter.Trim(), @"\s+and\s+", RegexOptions.IgnoreCase))
                {
                    var m = Regex.Match(part.Trim(), @"^(?<p>receivedDateTime)\s+(?<op>ge|gt|le|lt)\s+(?<v>\S+)$", RegexOptions.IgnoreCase);
                    if (!m.Success || !DateTimeOffset.TryParse(m.Groups["v"].Value.Trim('\''), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                        return Reply(400, Error("BadRequest", $"Invalid filter clause: '{part}'."));
                    firstFilterProperty ??= m.Groups["p"].Value;
                    var op = m.Groups["op"].Value.ToLowerInvariant();
                    conditions.Add(op switch
                    {
                        "ge" => x => x.ReceivedAt >= at,
                        "gt" => x => x.ReceivedAt > at,
                        "le" => x => x.ReceivedAt <= at,
                        _ => x => x.ReceivedAt < at,
                    });
                }
            }
            IEnumerable<FakeMessage> result = messages.Where(x => conditions.All(c => c(x)));

            // $orderby: Graph requires the ordered properties to lead the filter.
            bool descending = false;
            if (query.TryGetValue("$orderby", out var orderby))
            {
                var m = Regex.Match(orderby.Trim(), @"^(?<p>\w+)(\s+(?<dir>asc|desc))?$", RegexOptions.IgnoreCase);
                if (!m.Success || !m.Groups["p"].Value.Equals("receivedDateTime", StringComparison.OrdinalIgnoreCase))
                    return Reply(400, Error("BadRequest", $"Could not find a property named '{orderby}' on type 'microsoft.graph.message'."));
                if (firstFilterProperty != null && !firstFilterProperty.Equals(m.Groups["p"].Value, StringComparison.OrdinalIgnoreCase))
                    return Reply(400, Error("InefficientFilter", "The restriction or sort order is too complex for this operation."));
                descending = m.Groups["dir"].Value.Equals("desc", StringComparison.OrdinalIgnoreCase);
            }
            else
            {
                descending = true; // Graph's default order for messages
            }
            result = descending ? result.OrderByDescending(x => x.ReceivedAt).ThenByDescending(x => x.Id, StringComparer.Ordinal)
                                : result.OrderBy(x => x.ReceivedAt).ThenBy(x => x.Id, StringComparer.Ordinal);
            var all = result.ToList();

            int top = 10;
            if (query.TryGetValue("$top", out var topText) && (!int.TryParse(topText, out top) || top < 1 || top > 1000))
                return Reply(400, Error("BadRequest", "Invalid value for $top."));
            int skip = 0;
            if (query.TryGetValue("$skip", out var skipText) && (!int.TryParse(skipText, out skip) || skip < 0))
                return Reply(400, Error("BadRequest", "Invalid value for $skip."));
            int size = Math.Min(top, PageSize);
            var page = all.Skip(skip).Take(size).ToList();

            var select = query.TryGetValue("$select", out var selectText)
                ? new HashSet<string>(selectText.Split(',').Select(s => s.Trim()), StringComparer.OrdinalIgnoreCase)
                : null;
            bool text = (record.Prefer ?? "").Contains("outlook.body-content-type=\"text\"", StringComparison.OrdinalIgnoreCase)
                        || (record.Prefer ?? "").Contains("outlook.body-content-type=text", StringComparison.OrdinalIgnoreCase);
            if (text) headers.Add(("Preference-Applied", "outlook.body-content-type=\"text\""));

            using var stream = new MemoryStream();
            using (var json = new Utf8JsonWriter(stream))
            {
                json.WriteStartObject();
                json.WriteString("@odata.context", $"{Endpoint}/v1.0/$metadata#users('{mailbox}')/messages");
                json.WriteStartArray("value");
                foreach (var m in page) WriteMessage(json, m, select, text);
                json.WriteEndArray();
                if (skip + size < all.Count)
                {
                    var next = new Dictionary<string, string>(query) { ["$top"] = top.ToString(CultureInfo.InvariantCulture), ["$skip"] = (skip + size).ToString(CultureInfo.InvariantCulture) };
                    json.WriteString("@odata.nextLink", $"{Endpoint}{rawPath}?" + string.Join("&", next.Select(kv => "%24" + kv.Key.TrimStart('$') + "=" + Uri.EscapeDataString(kv.Value))));
                }
                json.WriteEndObject();
            }
            return Reply(200, Encoding.UTF8.GetString(stream.ToArray()));
        }

        static void WriteMessage(Utf8JsonWriter json, FakeMessage m, HashSet<string>? select, bool text)
        {
            bool Want(string name) => select is null || select.Contains(name);
            json.WriteStartObject();
            json.WriteString("@odata.etag", "W/\"CQAAABYAAAA\"");
            json.WriteString("id", m.Id);
            if (Want("receivedDateTime")) json.WriteString("receivedDateTime", m.ReceivedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            if (Want("subject")) json.WriteString("subject", m.Subject);
            if (Want("bodyPreview")) json.WriteString("bodyPreview", Preview(m.Body));
            if (Want("body"))
            {
                json.WriteStartObject("body");
                json.WriteString("contentType", text ? "text" : "html");
                json.WriteString("content", text ? m.Body : "<html><head><style>p{margin:0}</style></head><body><div>" +
                    string.Join("<br>", m.Body.Replace("\r\n", "\n").Split('\n').Select(WebUtility.HtmlEncode)) + "</div></body></html>");
                json.WriteEndObject();
            }
            if (Want("from"))
            {
                json.WriteStartObject("from");
                WriteAddress(json, m.FromName, m.FromAddress);
                json.WriteEndObject();
            }
            if (Want("toRecipients")) WriteRecipients(json, "toRecipients", m.To);
            if (Want("ccRecipients")) WriteRecipients(json, "ccRecipients", m.Cc);
            json.WriteEndObject();
        }

        static void WriteRecipients(Utf8JsonWriter json, string name, string[] addresses)
        {
            json.WriteStartArray(name);
            foreach (var a in addresses)
            {
                json.WriteStartObject();
                WriteAddress(json, a, a);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }

        static void WriteAddress(Utf8JsonWriter json, string name, string address)
        {
            json.WriteStartObject("emailAddress");
            json.WriteString("name", name);
            json.WriteString("address", address);
            json.WriteEndObject();
        }

        static string Preview(string body)
        {
            var s = Regex.Replace(body, @"\s+", " ").Trim();
            return s.Length > 255 ? s.Substring(0, 255) : s;
        }

        static string Error(string code, string message)
        {
            using var stream = new MemoryStream();
            using (var json = new Utf8JsonWriter(stream))
            {
                json.WriteStartObject();
                json.WriteStartObject("error");
                json.WriteString("code", code);
                json.WriteString("message", message);
                json.WriteStartObject("innerError");
                json.WriteString("date", DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
                json.WriteString("request-id", Guid.NewGuid().ToString());
                json.WriteEndObject();
                json.WriteEndObject();
                json.WriteEndObject();
            }
            return Encoding.UTF8.GetString(stream.ToArray());
        }

        static Dictionary<string, string> ParseQuery(string query)
        {
            var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=');
                var name = Uri.UnescapeDataString((eq < 0 ? pair : pair.Substring(0, eq)).Replace('+', ' '));
                var value = eq < 0 ? "" : Uri.UnescapeDataString(pair.Substring(eq + 1).Replace('+', ' '));
                if (!name.StartsWith("$", StringComparison.Ordinal) && IsOData("$" + name)) name = "$" + name; // Graph takes both $top and top
                result[name] = value;
            }
            return result;
        }

        static bool IsOData(string name) => name is "$filter" or "$orderby" or "$select" or "$top" or "$skip" or "$search" or "$count" or "$expand";

        public void Dispose()
        {
            _stop.Cancel();
            try { _listener.Stop(); } catch (Exception) { }
            try { _listener.Close(); } catch (Exception) { }
            try { _loop.Wait(2000); } catch (Exception) { }
        }
    }
}
