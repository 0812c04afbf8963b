# Managed dependencies: the Functions host installs these from the PowerShell Gallery (host.json enables it).
# On a plan without managed dependencies (Flex Consumption), save the modules into ./Modules instead:
#   Save-PSResource -Name RootMail -Path ./Modules
@{
    'RootMail' = '0.*'
    # Only when the app may add new addresses (app setting ROOTMAIL_EXCHANGE_ORGANIZATION):
    # 'ExchangeOnlineManagement' = '3.*'
}
