"""Knowledge sharing: case studies, the regulatory resource library, questions and answers, events and news."""
