@{
    RootModule           = 'RootMail.Simulator.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0f3c2e-8d3a-4f5e-9a51-2f6c7d1e4b90'
    Author               = 'RootMail contributors'
    CompanyName          = 'RootMail contributors'
    Copyright            = '(c) RootMail contributors.'
    Description          = 'An in-memory Exchange Online simulator: the Exchange commands RootMail uses (Get-Mailbox, New-Mailbox -Shared, Set-Mailbox, Get-Recipient, Add-MailboxPermission) with Exchange Online behaviour over a process-wide tenant, plus statistics and fault injection, for rehearsing runbooks and pipelines without a tenant.'
    CompatiblePSEditions = @('Desktop', 'Core')
    PowerShellVersion    = '5.1'
    CmdletsToExport      = @(
        'Connect-ExchangeOnline'
        'Disconnect-ExchangeOnline'
        'Get-Mailbox'
        'New-Mailbox'
        'Set-Mailbox'
        'Get-Recipient'
        'Add-MailboxPermission'
        'Get-MailboxPermission'
        'Reset-ExoSimulator'
        'Get-ExoSimulatorStatistic'
        'Set-ExoSimulatorFault'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('ExchangeOnline', 'Simulator', 'Testing', 'RootMail')
        }
    }
}
