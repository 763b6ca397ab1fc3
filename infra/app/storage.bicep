// The storage account: the Functions host's own storage (AzureWebJobsStorage: timer locks and
// schedule, keys), the Flex Consumption deployment container, the datasets container the app reads,
// and the container of the duration logs.

@description('Region of the account.')
param location string

@description('Tags of the account.')
param tags object

@minLength(3)
@maxLength(24)
@description('Storage account name: 3-24 lowercase letters and digits, unique in Azure.')
param name string

@description('Blob containers to create (private).')
param containerNames array

@description('Whether requests signed with the account key are accepted (the AKS manifests use the key; the Flex Consumption app uses its identity only).')
param allowSharedKeyAccess bool

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    // The function app, azd and the pipeline reach the account with Entra ID; only the AKS deployment
    // (Blob CSI driver, the container's AzureWebJobsStorage connection string) needs the key.
    allowSharedKeyAccess: allowSharedKeyAccess
    accessTier: 'Hot'
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [
  for containerName in containerNames: {
    parent: blobService
    name: containerName
    properties: {
      publicAccess: 'None'
    }
  }
]

output name string = storage.name
output id string = storage.id
output blobEndpoint string = storage.properties.primaryEndpoints.blob
