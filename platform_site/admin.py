from django.contrib import admin

# Branded as the platform's own administration, where curators work.
admin.site.site_header = "ATMP Expert Platform administration"
admin.site.site_title = "ATMP Expert Platform admin"
admin.site.index_title = "Curation and administration"
