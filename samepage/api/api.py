from ninja import NinjaAPI

api = NinjaAPI(title="SamePage API", version="1", urls_namespace="api-v1")
