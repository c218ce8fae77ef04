"""The store's Model Context Protocol door for AI agents, at /mcp (Streamable HTTP, Bearer API key).

server.py   the tools and resources: each a thin call into the same selectors, services and
            serializers as the REST API, under the key's scopes and the API's rate limits
transport.py the Django view that authenticates the key and hands the exchange to the SDK
"""
