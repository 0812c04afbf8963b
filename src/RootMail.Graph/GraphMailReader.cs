using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Runtime.InteropServices;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using Azure.Identity;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using RootMail.Mail;

namespace RootMail.Graph
{
    /// <summary>Makes the Graph mail reader. The only entry point of this assembly: Get-AwsRootMail calls it on first use.</summary>
    public static class GraphMail
    {
        public static IMailReader Create(MailConnection connection) => new GraphMailReader(connection);
    }

    /// <summary>
    /// Lists a mailbox's messages through the Microsoft Graph SDK: GET /users/{mailbox}/messages with $filter on
    /// receivedDateTime (Graph refuses filters on toRecipients), $orderby receivedDateTime desc, $select of the fields
    /// RootMail shows, bodies as text, following @odata.nextLink page by page. The SDK's retry handler honours 429 and
    /// Retry-After. Failures become RootMail errors; no token ever reaches a message.
    /// </summary>
    public sealed class GraphMailReader : IMailReader
    {
        /// <summary>Messages per page; Graph allows up to 1000, bodies make smaller pages cheaper to stop early.</summary>
        public const int PageSize = 50;
        static readonly string[] Fields = { "id", "receivedDateTime", "from", "toRecipients", "ccRecipients", "subject", "bodyPreview", "body" };
        const string PreferText = "outlook.body-content-type=\"text\"";

        readonly MailConnection _connection;
        readonly HttpClient _http;
        readonly GraphServiceClient _client;
        readonly string _endpoint;
        long _requests;

        public GraphMailReader(MailConnection connection)
        {
            _connection = connection ?? throw new ArgumentNullException(nameof(connection));
            var root = new Uri(connection.Endpoint.GetLeftPart(UriPartial.Authority));
            _endpoint = root.ToString().TrimEnd('/');
            var path = connection.Endpoint.AbsolutePath.TrimEnd('/');
            var baseUrl = _endpoint + (path.EndsWith("/v1.0", StringComparison.OrdinalIgnoreCase) || path.EndsWith("/beta", StringComparison.OrdinalIgnoreCase) ? path : path + "/v1.0");
            var tokens = new TokenProvider(root, connection);
            _http = GraphClientFactory.Create(new GraphClientOptions(), "v1.0", GraphClientFactory.Global_Cloud, null, null);
            _client = new GraphServiceClient(_http, new BaseBearerTokenAuthenticationProvider(tokens), baseUrl);
        }

        public long RequestCount => Interlocked.Read(ref _requests);

        public IEnumerable<MailItem> Messages(string mailbox, DateTimeOffset? since, CancellationToken cancel)
        {
            if (string.IsNullOrEmpty(mailbox)) throw new ArgumentException("A mailbox is required.", nameof(mailbox));
            var page = Run(mailbox, cancel, ct => _client.Users[mailbox].Messages.GetAsync(request =>
            {
                if (since is DateTimeOffset s)
                    request.QueryParameters.Filter = "receivedDateTime ge " + s.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
                request.QueryParameters.Orderby = new[] { "receivedDateTime desc" };
                request.QueryParameters.Select = Fields;
                request.QueryParameters.Top = PageSize;
                request.Headers.Add("Prefer", PreferText);
            }, ct));
            while (page != null)
            {
                foreach (var message in page.Value ?? new List<Message>())
                {
                    var item = ToItem(message);
                    if (item != null) yield return item;
                }
                var next = page.OdataNextLink;
                if (string.IsNullOrEmpty(next)) yield break;
                page = Run(mailbox, cancel, ct => _client.Users[mailbox].Messages.WithUrl(next!).GetAsync(request => request.Headers.Add("Prefer", PreferText), ct));
            }
        }

        static MailItem? ToItem(Message m)
        {
            if (m.Id is null) return null;
            var body = m.Body?.Content;
            if (body != null && m.Body!.ContentType == BodyType.Html) body = MailText.FromHtml(body);
            return new MailItem(m.Id, m.ReceivedDateTime ?? DateTimeOffset.MinValue, m.From?.EmailAddress?.Address, m.Subject, m.BodyPreview, body,
                Addresses(m.ToRecipients), Addresses(m.CcRecipients));
        }

        static IReadOnlyList<string> Addresses(List<Recipient>? recipients)
            => recipients?.Select(r => r?.EmailAddress?.Address).Where(a => !string.IsNullOrEmpty(a)).Select(a => a!).ToList() ?? (IReadOnlyList<string>)Array.Empty<string>();

        /// <summary>Runs one Graph call off the caller's thread, shows sign-in prompts meanwhile, and turns failures into RootMail errors.</summary>
        T Run<T>(string mailbox, CancellationToken cancel, Func<CancellationToken, Task<T>> call)
        {
            cancel.ThrowIfCancellationRequested();
            Interlocked.Increment(ref _requests);
            try
            {
                return SignInPrompts.Wait(Task.Run(() => call(cancel)), _connection.Prompts, _connection.Show);
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                throw;
            }
            catch (ODataError ex)
            {
                throw Map(mailbox, ex.ResponseStatusCode, ex.Error?.Code, ex.Error?.Message, ex);
            }
            catch (ApiException ex)
            {
                throw Map(mailbox, ex.ResponseStatusCode, null, null, ex);
            }
            catch (AggregateException ex) when (ex.InnerExceptions.LastOrDefault() is ApiException last)
            {
                // The SDK's retry handler gave up (429, 503, 504 on every try).
                throw last.ResponseStatusCode == 429 ? Errors.GraphThrottled(mailbox, ex)
                    : Errors.GraphUnavailable(_endpoint, $"HTTP {last.ResponseStatusCode} on every try ({ex.InnerExceptions.Count}).", ex);
            }
            catch (AuthenticationFailedException ex)
            {
                throw Errors.GraphAuthenticationFailed(_endpoint, "no token could be obtained: " + ex.Message, ex);
            }
            catch (HttpRequestException ex)
            {
                throw Errors.GraphUnavailable(_endpoint, Innermost(ex), ex);
            }
            catch (OperationCanceledException ex)
            {
                throw Errors.GraphUnavailable(_endpoint, "the request timed out.", ex);
            }
            catch (Exception ex) when (!(ex is RootMailException))
            {
                throw Errors.GraphError(mailbox, 0, ex.GetType().Name + ": " + ex.Message, ex);
            }
        }

        RootMailException Map(string mailbox, int status, string? code, string? message, Exception inner)
        {
            var detail = string.IsNullOrEmpty(code) && string.IsNullOrEmpty(message) ? $"HTTP {status}." : $"{code}: {message}".Trim(' ', ':');
            if (!detail.EndsWith(".", StringComparison.Ordinal)) detail += ".";
            switch (status)
            {
                case 401: return Errors.GraphAuthenticationFailed(_endpoint, detail, inner);
                case 403: return Errors.MailAccessDenied(mailbox, detail, inner);
                case 404: return Errors.GraphMailboxNotFound(mailbox, detail, inner);
                case 429: return Errors.GraphThrottled(mailbox, inner);
                default:
                    if (status == 400 && code == "ErrorInvalidUser") return Errors.GraphMailboxNotFound(mailbox, detail, inner);
                    return Errors.GraphError(mailbox, status, detail, inner);
            }
        }

        static string Innermost(Exception ex)
        {
            while (ex.InnerException != null) ex = ex.InnerException;
            return ex.Message;
        }

        public void Dispose() => _http.Dispose();

        /// <summary>
        /// Bearer tokens for the Graph host only (never for another host a next link might name), from -GraphAccessToken
        /// or the connection's Azure credential with the scope &lt;endpoint&gt;/.default; cached until five minutes before expiry.
        /// </summary>
        sealed class TokenProvider : IAccessTokenProvider
        {
            readonly Uri _root;
            readonly MailConnection _connection;
            readonly string[] _scopes;
            readonly SemaphoreSlim _gate = new SemaphoreSlim(1, 1);
            AccessToken? _cached;

            public TokenProvider(Uri root, MailConnection connection)
            {
                _root = root;
                _connection = connection;
                _scopes = new[] { root.GetLeftPart(UriPartial.Authority) + "/.default" };
                AllowedHostsValidator = new AllowedHostsValidator(new[] { root.Host });
            }

            public AllowedHostsValidator AllowedHostsValidator { get; }

            public async Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default)
            {
                if (!AllowedHostsValidator.IsUrlHostValid(uri) || uri.Port != _root.Port) return string.Empty;
                if (uri.Scheme != Uri.UriSchemeHttps && !uri.IsLoopback) return string.Empty;
                if (_connection.AccessToken != null) return Reveal(_connection.AccessToken);
                var credential = _connection.Credential ?? throw new InvalidOperationException("No Graph credential.");
                await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    if (_cached is AccessToken cached && cached.ExpiresOn > DateTimeOffset.UtcNow.AddMinutes(5)) return cached.Token;
                    var token = await credential.GetTokenAsync(new TokenRequestContext(_scopes), cancellationToken).ConfigureAwait(false);
                    _cached = token;
                    return token.Token;
                }
                finally
                {
                    _gate.Release();
                }
            }

            static string Reveal(SecureString secure)
            {
                var pointer = IntPtr.Zero;
                try
                {
                    pointer = Marshal.SecureStringToGlobalAllocUnicode(secure);
                    return Marshal.PtrToStringUni(pointer) ?? "";
                }
                finally
                {
                    if (pointer != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(pointer);
                }
            }
        }
    }
}
