// GDAL's C API (Debian libgdal-dev): rasters (GeoTIFF, ENVI) for msi, hsi and sar.
#include <gdal.h>
#include <cpl_error.h>
#include <cpl_conv.h>
#include <cpl_string.h>
#include <ogr_srs_api.h>
