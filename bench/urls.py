"""The product's URLs plus one baseline page that only exists for the benchmark."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from peersupport.urls import urlpatterns as product_urlpatterns

BASELINE_HTML = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Baseline</title></head>'
    "<body><main><h1>Baseline</h1><p>A plain Django page with no queries.</p></main></body></html>"
)


def baseline(request: HttpRequest) -> HttpResponse:
    return HttpResponse(BASELINE_HTML)


urlpatterns = [path("bench/baseline/", baseline, name="bench_baseline"), *product_urlpatterns]
