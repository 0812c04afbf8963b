using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Azure.Core;
using Azure.Identity;
using RootMail.Mail;

namespace RootMail.Registry
{
    /// <summary>
    /// The Azure credential that Connect-AwsRootRegistry's switches ask for, shared by the registry (with -TableEndpoint)
    /// and Microsoft Graph: a managed identity, a workload identity (federated token file), a client certificate, an
    /// interactive browser or device-code sign-in, or, with -TableEndpoint and no switch, the default credential chain.
    /// </summary>
    internal static class Credentials
    {
        static readonly Regex Tenant = new Regex(@"^(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.)+[A-Za-z]{2,63}|organizations|common)$");

        /// <summary>Checks the switches together; throws RootMail.* errors for a combination that cannot work.</summary>
        public static void Check(ConnectRequest r)
        {
            var chosen = new[]
            {
                r.ManagedIdentity ? "-ManagedIdentity" : null, r.WorkloadIdentity ? "-WorkloadIdentity" : null,
                r.CertificateThumbprint != null ? "-CertificateThumbprint" : null, r.CertificatePath != null ? "-CertificatePath" : null,
                r.Interactive ? "-Interactive" : null, r.DeviceCode ? "-DeviceCode" : null,
            }.Where(x => x != null).ToList();
            if (chosen.Count > 1)
                throw Errors.ArgumentCombination($"Choose one way to sign in, not {string.Join(" and ", chosen)}.");
            if (r.ClientId != null && !Guid.TryParse(r.ClientId, out _)) throw Errors.InvalidClientId(r.ClientId);
            if (r.TenantId != null && !Tenant.IsMatch(r.TenantId)) throw Errors.InvalidTenantId(r.TenantId);
            if (chosen.Count == 0)
            {
                if (r.ClientId != null)
                    throw Errors.ArgumentCombination("-ClientId names an identity: use it with -ManagedIdentity (a user-assigned identity), -CertificateThumbprint or -CertificatePath, -WorkloadIdentity, -Interactive or -DeviceCode.");
                if (r.TenantId != null && r.TableEndpoint is null)
                    throw Errors.ArgumentCombination("-TenantId says where to sign in: use it with -TableEndpoint, or with -CertificateThumbprint/-CertificatePath, -WorkloadIdentity, -Interactive or -DeviceCode.");
            }
            if (r.ManagedIdentity && r.TenantId != null)
                throw Errors.ArgumentCombination("A managed identity signs in to its own tenant: leave out -TenantId (give -ClientId for a user-assigned identity).");
            if ((r.CertificateThumbprint != null || r.CertificatePath != null) && (r.TenantId is null || r.ClientId is null))
                throw Errors.ArgumentCombination("A client certificate signs in as an application: give -TenantId and the application's -ClientId with it.");
            if (r.CertificatePassword != null && r.CertificatePath is null)
                throw Errors.ArgumentCombination("-CertificatePassword opens the file given with -CertificatePath: use them together.");
        }

        /// <summary>
        /// The credential the switches ask for, or null when none was given (then -TableEndpoint uses the default chain
        /// and the other connections have no Azure credential). <paramref name="kind"/> names it for the connection summary.
        /// </summary>
        public static TokenCredential? FromSwitches(ConnectRequest r, Uri graphEndpoint, SignInPrompts prompts, out string? kind)
        {
            var authority = AuthorityFor(graphEndpoint);
            if (r.ManagedIdentity)
            {
                kind = r.ClientId is null ? "ManagedIdentity" : "ManagedIdentity (user-assigned)";
                return r.ClientId is null
                    ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
                    : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(r.ClientId));
            }
            if (r.WorkloadIdentity)
            {
                kind = "WorkloadIdentity";
                var tenant = r.TenantId ?? Environment.GetEnvironmentVariable("AZURE_TENANT_ID");
                var client = r.ClientId ?? Environment.GetEnvironmentVariable("AZURE_CLIENT_ID");
                var file = Environment.GetEnvironmentVariable("AZURE_FEDERATED_TOKEN_FILE");
                var missing = new[]
                {
                    string.IsNullOrEmpty(tenant) ? "a tenant (-TenantId or AZURE_TENANT_ID)" : null,
                    string.IsNullOrEmpty(client) ? "an application (-ClientId or AZURE_CLIENT_ID)" : null,
                    string.IsNullOrEmpty(file) ? "a federated token file (AZURE_FEDERATED_TOKEN_FILE)" : !File.Exists(file) ? $"the federated token file AZURE_FEDERATED_TOKEN_FILE names, which does not exist" : null,
                }.Where(x => x != null).ToList();
                if (missing.Count > 0) throw Errors.WorkloadIdentityUnavailable(string.Join(", ", missing));
                if (!Guid.TryParse(client, out _)) throw Errors.InvalidClientId(client);
                if (!Tenant.IsMatch(tenant!)) throw Errors.InvalidTenantId(tenant);
                return new WorkloadIdentityCredential(new WorkloadIdentityCredentialOptions
                {
                    TenantId = tenant, ClientId = client, TokenFilePath = file, AuthorityHost = authority,
                });
            }
            if (r.CertificateThumbprint != null || r.CertificatePath != null)
            {
                kind = "ClientCertificate";
                var options = new ClientCertificateCredentialOptions { AuthorityHost = authority };
                if (r.CertificateThumbprint != null)
                    return new ClientCertificateCredential(r.TenantId, r.ClientId, FindCertificate(r.CertificateThumbprint), options);
                string path;
                try { path = Path.GetFullPath(r.CertificatePath!); }
                catch (Exception ex) when (ex is ArgumentException || ex is NotSupportedException || ex is PathTooLongException || ex is System.Security.SecurityException)
                {
                    throw Errors.CertificateUnreadable(r.CertificatePath!, "it is not a usable file path", ex);
                }
                if (!File.Exists(path)) throw Errors.CertificateUnreadable(r.CertificatePath!, "the file does not exist");
                if (r.CertificatePassword is null && path.EndsWith(".pem", StringComparison.OrdinalIgnoreCase))
                    return new ClientCertificateCredential(r.TenantId, r.ClientId, path, options); // read by Azure.Identity (certificate and key in one PEM)
                return new ClientCertificateCredential(r.TenantId, r.ClientId, LoadPfx(r.CertificatePath!, path, r), options);
            }
            if (r.Interactive)
            {
                kind = "InteractiveBrowser";
                var options = new InteractiveBrowserCredentialOptions { AuthorityHost = authority };
                if (r.TenantId != null) options.TenantId = r.TenantId;
                if (r.ClientId != null) options.ClientId = r.ClientId;
                return new InteractiveBrowserCredential(options);
            }
            if (r.DeviceCode)
            {
                kind = "DeviceCode";
                var options = new DeviceCodeCredentialOptions
                {
                    AuthorityHost = authority,
                    DeviceCodeCallback = (info, cancel) => { prompts.Post(info.Message); return Task.CompletedTask; },
                };
                if (r.TenantId != null) options.TenantId = r.TenantId;
                if (r.ClientId != null) options.ClientId = r.ClientId;
                return new DeviceCodeCredential(options);
            }
            kind = null;
            return null;
        }

        /// <summary>The default chain for -TableEndpoint without a switch: environment, workload identity, managed identity, Azure CLI, Azure PowerShell ...</summary>
        public static TokenCredential Default(ConnectRequest r, Uri graphEndpoint)
        {
            var options = new DefaultAzureCredentialOptions { ExcludeInteractiveBrowserCredential = true, AuthorityHost = AuthorityFor(graphEndpoint) };
            if (r.TenantId != null) options.TenantId = r.TenantId;
            return new DefaultAzureCredential(options);
        }

        /// <summary>The sign-in authority of the cloud whose Graph endpoint is given (public, US Government, China).</summary>
        static Uri AuthorityFor(Uri graphEndpoint)
        {
            var host = graphEndpoint.Host.ToLowerInvariant();
            if (host.EndsWith(".microsoft.us", StringComparison.Ordinal)) return AzureAuthorityHosts.AzureGovernment;
            if (host.EndsWith(".chinacloudapi.cn", StringComparison.Ordinal)) return AzureAuthorityHosts.AzureChina;
            return AzureAuthorityHosts.AzurePublicCloud;
        }

        static X509Certificate2 FindCertificate(string thumbprint)
        {
            var clean = new string(thumbprint.Where(c => !char.IsWhiteSpace(c) && c != ':' && c != '\u200E').ToArray()).ToUpperInvariant();
            if (clean.Length != 40 || !clean.All(Uri.IsHexDigit)) throw Errors.InvalidThumbprint(thumbprint);
            foreach (var location in new[] { StoreLocation.CurrentUser, StoreLocation.LocalMachine })
            {
                try
                {
                    using var store = new X509Store(StoreName.My, location);
                    store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
                    var found = store.Certificates.Find(X509FindType.FindByThumbprint, clean, validOnly: false).Cast<X509Certificate2>().FirstOrDefault(c => c.HasPrivateKey);
                    if (found != null) return found;
                }
                catch (CryptographicException)
                {
                    // the store does not exist on this machine (LocalMachine\My on Linux): try the next
                }
                catch (PlatformNotSupportedException)
                {
                }
            }
            throw Errors.CertificateNotFound(clean);
        }

        static X509Certificate2 LoadPfx(string shown, string path, ConnectRequest r)
        {
            X509Certificate2 certificate;
            try
            {
                certificate = r.CertificatePassword is null ? new X509Certificate2(path) : new X509Certificate2(path, r.CertificatePassword);
            }
            catch (CryptographicException ex)
            {
                throw Errors.CertificateUnreadable(shown, r.CertificatePassword is null ? "it is not a PFX without a password (a wrong format, or it needs -CertificatePassword)" : "it is not a PFX, or the password is wrong", ex);
            }
            if (!certificate.HasPrivateKey) throw Errors.CertificateUnreadable(shown, "it holds no private key");
            return certificate;
        }
    }
}
