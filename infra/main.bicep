// The SIDS ML backend on the Azure Functions Linux consumption plan (custom handler), azd style:
// `azd up` provisions this and deploys the service `api` of azure.yaml; `az deployment sub create
// --location <region> --template-file infra/main.bicep --parameters environmentName=<name>` works too.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the environment (azd: AZURE_ENV_NAME); with the subscription and location it seeds the unique suffix of every resource name.')
param environmentName string

@minLength(1)
@description('Region of every resource. It must offer the Linux consumption plan (Y1).')
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

@description('Comma-separated origins allowed to call the API (CORS_ORIGINS). The handler applies this allow-list itself; the platform CORS list stays empty.')
param corsOrigins string = 'https://lenseg.github.io,https://sids-dashboard.github.io,https://data.undp.org,http://localhost,http://localhost:8080'

@description('Models this app serves (MODEL_SERVICE): empty for all, or a comma-separated subset of twolvlImp, CountryCorrelation, Statimpute, SurveyCluster.')
param modelService string = ''

@allowed([
  'fail'
  'degrade'
])
@description('What a missing or corrupt dataset does (DATASET_FAULT_MODE): fail stops start-up, degrade answers 503 for the models that need it.')
param datasetFaultMode string = 'fail'

@description('Where the handler reads indicatorMeta.csv, datasetMeta.csv and indicatorData.csv (DATASET_PATH). Empty: the URL of the datasets container.')
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

@description('Further app settings, name to value, for the tuning settings whose defaults the handler already has (MAX_REQUEST_BODY_BYTES, MAX_CONCURRENT_COMPUTATIONS, MAX_QUEUED_COMPUTATIONS, RATE_LIMIT_PERMITS, RATE_LIMIT_WINDOW_SECONDS, PREDICTION_CACHE_ENTRIES).')
param extraAppSettings object = {}

var abbrs = loadJsonContent('./abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}

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

module storage './app/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    location: location
    tags: tags
    name: !empty(storageAccountName) ? storageAccountName : '${abbrs.storageStorageAccounts}${resourceToken}'
    containerNames: [
      datasetsContainerName
      durationsContainerName
    ]
  }
}

module api './app/api.bicep' = {
  name: 'api'
  scope: rg
  params: {
    location: location
    tags: tags
    name: !empty(functionAppName) ? functionAppName : '${abbrs.webSitesFunctions}api-${resourceToken}'
    planName: '${abbrs.webServerFarms}${resourceToken}'
    storageAccountName: storage.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
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

module rbac './app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    functionPrincipalId: api.outputs.principalId
    userPrincipalId: principalId
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
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.applicationInsightsConnectionString
