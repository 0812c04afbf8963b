@{
    RootModule           = 'RootMail.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0f6d2e-8c1a-4f7e-9d3b-2a6c4e8f1b07'
    Author               = 'RootMail contributors'
    CompanyName          = 'RootMail'
    Copyright            = '(c) RootMail contributors. MIT License.'
    Description          = 'Hands every AWS account a unique root-user e-mail address: secondary SMTP aliases on Exchange Online shared mailboxes, recorded in an Azure Table Storage registry that is safe under concurrency.'
    CompatiblePSEditions = @('Desktop', 'Core')
    PowerShellVersion    = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('RootMail.format.ps1xml')
    CmdletsToExport      = @(
        'Connect-AwsRootRegistry'
        'Disconnect-AwsRootRegistry'
        'Set-AwsRootPool'
        'Get-AwsRootPool'
        'New-AwsRootMailbox'
        'Get-AwsRootMailbox'
        'New-AwsRootAlias'
        'Get-AwsRootAlias'
        'Register-AwsAccountAlias'
        'Remove-AwsRootAlias'
        'Import-AwsRootRegistry'
        'Get-AwsRootMail'
        'Sync-AwsRootRegistry'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('AWS', 'ExchangeOnline', 'Exchange', 'AzureTableStorage', 'RootUser', 'Email', 'Alias', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/rootmail/RootMail'
            LicenseUri   = 'https://github.com/rootmail/RootMail/blob/main/LICENSE'
            ReleaseNotes = 'First release: registry, pools, mailboxes, hand-out, provisioning, registration and retirement of AWS root-user aliases; Sync-AwsRootRegistry; Import-AwsRootRegistry from the reference design; Get-AwsRootMail over Microsoft Graph; dependencies isolated in their own load context on PowerShell 7.'
        }
    }
}
