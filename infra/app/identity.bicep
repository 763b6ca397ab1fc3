// The user-assigned managed identity of the function app: it reads the deployment package, reaches the
// Functions host's storage (AzureWebJobsStorage__credential=managedidentity) and the app's blobs
// (AZURE_CLIENT_ID), and sends telemetry to Application Insights. Its roles are in rbac.bicep.

@description('Region of the identity.')
param location string

@description('Tags of the identity.')
param tags object

@description('Identity name.')
param name string

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
