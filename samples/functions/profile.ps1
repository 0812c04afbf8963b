<#
    Runs once when a PowerShell worker of the function app starts (a cold start), before its first request.
    App settings arrive as environment variables:

      ROOTMAIL_TABLE_ENDPOINT              https://<account>.table.core.windows.net: the registry, signed in with the
                                           app's managed identity (role Storage Table Data Contributor on the table)
      ROOTMAIL_MANAGED_IDENTITY_CLIENT_ID  optional: the client ID of a user-assigned managed identity
      ROOTMAIL_TABLE_NAME                  optional: the registry table (default AwsRootMail)
      ROOTMAIL_POOL                        optional: the pool when a request names none (default 'default')
      ROOTMAIL_EXCHANGE_ORGANIZATION       optional: contoso.onmicrosoft.com. Connects to Exchange Online with the
                                           managed identity, so that a hand-out can add a new address when the pool
                                           has no pre-provisioned alias left (needs Exchange.ManageAsApp and the
                                           Exchange Recipient Administrator role, and ExchangeOnlineManagement in
                                           requirements.psd1). Without it the app needs no Exchange permission: a dry
                                           pool answers 503 RootMail.ExchangeNotConnected until aliases are provisioned.
      ROOTMAIL_CONNECTION_STRING           REHEARSAL ONLY: a storage connection string (e.g. Azurite's) instead of the
                                           managed identity. In Azure, keep keys out of app settings; if you must, use
                                           a Key Vault reference.
#>
[CmdletBinding()]
param()

# The registry (Modules/RootMailFunctions). A failure here is not fatal: every request connects again if needed.
try {
    Initialize-RootMailConnection
}
catch {
    $PSCmdlet.WriteWarning("$($_.Exception.Message) Each request will try again.")
}

if ($env:ROOTMAIL_EXCHANGE_ORGANIZATION) {
    $exchange = @{ ManagedIdentity = $true; Organization = $env:ROOTMAIL_EXCHANGE_ORGANIZATION; ShowBanner = $false }
    if ($env:ROOTMAIL_MANAGED_IDENTITY_CLIENT_ID) { $exchange['ManagedIdentityAccountId'] = $env:ROOTMAIL_MANAGED_IDENTITY_CLIENT_ID }
    try {
        Connect-ExchangeOnline @exchange -ErrorAction Stop
    }
    catch {
        $PSCmdlet.WriteWarning("Connect-ExchangeOnline failed: $($_.Exception.Message) Hand-outs take pre-provisioned aliases only.")
    }
}
