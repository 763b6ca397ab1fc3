// The SIDS ML backend on the Azure Functions Flex Consumption plan (FC1, dotnet-isolated 10.0), azd
// style: `azd up` provisions this and deploys the service `api` of azure.yaml; `az deployment sub create
// --location <region> --template-file infra/main.bicep --parameters environmentName=<name>` works too.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the environment (azd: AZURE_ENV_NAME); with the subscription and location it seeds the unique suffix of every resource name.')
param environmentName string

@minLength(1)
@description('Region of every resource. It must offer Flex Consumption with dotnet-isolated 10.0 (`az functionapp list-flexconsumption-locations --runtime dotnet-isolated`).')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Object id of a user or service principal given Storage Blob Data Contributor on the storage account, to upload datasets (azd: AZURE_PRINCIPAL_ID). Empty: none.')
param principalId string = ''

@description('Resource group to create; empty: rg-<environmentName>.')
param resourceGroupName string = ''

@description('Function app name; empty: func-api-<token>.')
param functionAppName string = ''

@description('Storage account name (3-24 lowercase letters and digits); empty: st<token>.')
param storageAccountName string = ''

@description('Comma-separated origins allowed to call the API, exactly (no wildcard; CORS_ORIGINS): the app answers CORS itself from this list, and the function app\'s platform CORS gets the same list. Default: the app\'s built-in allow-list.')
param corsOrigins string = 'https://lenseg.github.io,https://sids-dashboard.github.io,https://data.undp.org,http://localhost,http://localhost:8080'

@description('Models this app serves (MODEL_SERVICE): empty for all, or a comma-separated subset of twolvlImp, CountryCorrelation, Statimpute, SurveyCluster.')
param modelService string = ''

@allowed([
  'fail'
  'degrade'
])
@description('What a missing or corrupt dataset does (DATASET_FAULT_MODE): fail stops start-up, degrade answers 503 for the models that need it.')
param datasetFaultMode string = 'fail'

@description('Where the app reads indicatorMeta.csv, datasetMeta.csv and indicatorData.csv (DATASET_PATH). Empty: the URL of the datasets container.')
param datasetPath string = ''

@description('Blob container of the datasets and of the time_consumption document (DATASETS_CONTAINER).')
param datasetsContainerName string = 'datasets'

@description('Blob container of the per-day duration logs (DURATIONS_CONTAINER).')
param durationsContainerName string = 'telemetry'

@description('Blob name prefix of the per-day duration logs (DURATIONS_PREFIX).')
param durationsPrefix string = 'durations/'

@description('NCRONTAB schedule (six fields, UTC) of the AggregateTimeEstimates timer (TIME_ESTIMATE_SCHEDULE).')
param timeEstimateSchedule string = '0 0 * * * *'

@description('How many past days of durations the timer aggregates (TIME_ESTIMATE_DAYS).')
param timeEstimateDays int = 3

@description('Further app settings, name to string value, for the tuning settings whose defaults the app already has (MAX_REQUEST_BODY_BYTES, MAX_CONCURRENT_COMPUTATIONS, MAX_QUEUED_COMPUTATIONS, RATE_LIMIT_PERMITS, RATE_LIMIT_WINDOW_SECONDS, PREDICTION_CACHE_ENTRIES).')
param extraAppSettings object = {}

@description('Most instances Flex Consumption scales the app out to (40 to 1000).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Memory of each Flex Consumption instance in MB: 2048 (one vCPU) or 4096 (two vCPUs); 512 is too small for the dataset and a prediction.')
@allowed([
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Whether the storage account accepts its keys. true: the AKS deployment (infra/k8s) mounts the datasets and runs its Functions host with the account key. false: identity only, enough for the Flex Consumption app.')
param allowSharedKeyAccess bool = true

var abbrs = loadJsonContent('./abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}
var apiName = toLower(!empty(functionAppName) ? functionAppName : '${abbrs.webSitesFunctions}api-${resourceToken}')
// Flex Consumption deploys from this container: azd, the pipeline and `func azure functionapp publish`
// upload the package there (container names: 3-63 lowercase letters, digits and dashes).
var deploymentContainerName = 'app-package-${take(apiName, 32)}-${take(resourceToken, 7)}'

resource rg 'Microsoft.Resources/resourceGroups@2021-04-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

module monitoring './app/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    location: location
    tags: tags
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: '${abbrs.insightsComponents}${resourceToken}'
  }
}

module identity './app/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    location: location
    tags: tags
    name: '${abbrs.managedIdentityUserAssignedIdentities}api-${resourceToken}'
  }
}

module storage './app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    location: location
    tags: tags
    name: !empty(storageAccountName) ? storageAccountName : '${abbrs.storageStorageAccounts}${resourceToken}'
    allowSharedKeyAccess: allowSharedKeyAccess
    containerNames: [
      deploymentContainerName
      datasetsContainerName
      durationsContainerName
    ]
  }
}

module rbac './app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    functionPrincipalId: identity.outputs.principalId
    userPrincipalId: principalId
  }
}

// After the roles: the app's first start reads the deployment container with its identity.
module api './app/api.bicep' = {
  name: 'api'
  scope: rg
  dependsOn: [
    rbac
  ]
  params: {
    location: location
    tags: tags
    name: apiName
    planName: '${abbrs.webServerFarms}${resourceToken}'
    storageAccountName: storage.outputs.name
    deploymentContainerName: deploymentContainerName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    corsOrigins: corsOrigins
    modelService: modelService
    datasetFaultMode: datasetFaultMode
    datasetPath: !empty(datasetPath) ? datasetPath : '${storage.outputs.blobEndpoint}${datasetsContainerName}'
    datasetsContainerName: datasetsContainerName
    durationsContainerName: durationsContainerName
    durationsPrefix: durationsPrefix
    timeEstimateSchedule: timeEstimateSchedule
    timeEstimateDays: timeEstimateDays
    extraAppSettings: extraAppSettings
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = api.outputs.name
output SERVICE_API_NAME string = api.outputs.name
output SERVICE_API_URI string = api.outputs.uri
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_STORAGE_BLOB_ENDPOINT string = storage.outputs.blobEndpoint
output AZURE_FUNCTION_DEPLOYMENT_CONTAINER string = deploymentContainerName
output AZURE_USER_ASSIGNED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.applicationInsightsConnectionString
