"""The one write function per kind of change; views, admin and demo all call these."""
